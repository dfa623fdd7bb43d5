import { HistoryEntry } from '../../shared/domain/deployment-history';
import { iso, withoutNulls } from '../sql';
import type { Queryable } from '../types';

/** Every server group ever created, kept after it is destroyed. */
export interface DeploymentHistoryRepository {
  list(filter: {
    applications: readonly string[];
    application?: string | undefined;
    account?: string | undefined;
    cluster?: string | undefined;
    environment?: string | undefined;
    at?: string | undefined;
    limit: number;
  }): Promise<HistoryEntry[]>;
  /** Stamps who destroyed a group through the API (a stage's destroys are read from its execution). */
  destroyedBy(key: { account: string; region: string; name: string }, by: string): Promise<void>;
}

// Who created a group: the deploy stage that launched it (its context names the group). Who
// destroyed it: a person through the BFF (stamped), or a stage whose outputs name it (a deploy's
// red/black or highlander clean-up, a destroy stage, a failed deploy's rollback). Read from the
// executions, which keep both. Its traffic: every change of its enabled state (server-groups.ts).
const SELECT = `
  select h.application, h.account, h.region, h.cluster, h.name as "serverGroup", coalesce(a.environment, 'other') as environment,
         h.image_name || ':' || h.image_version as image, ${iso('h.created_at')} as "createdAt", ${iso('h.destroyed_at')} as "destroyedAt",
         created.by as "createdBy", created.execution as "createdByExecution",
         coalesce(h.destroyed_by, destroyed.by) as "destroyedBy", destroyed.execution as "destroyedByExecution",
         coalesce((
           -- A run's name (and its user) only for callers who may read the run's application.
           select jsonb_agg(jsonb_strip_nulls(jsonb_build_object('at', ${iso('t.at')}, 'enabled', t.enabled,
                    'by', case when t.by_application is null or t.by_application = any($1) then t.by_user end,
                    'execution', case when t.by_application = any($1) then t.by_execution end,
                    'executionApplication', case when t.by_application = any($1) then t.by_application end)) order by t.at, t.id)
           from server_group_traffic t
           where (t.account, t.region, t.name, t.created_at) = (h.account, h.region, h.name, h.created_at)
         ), '[]'::jsonb) as traffic
  from server_group_history h
  left join accounts a on a.name = h.account
  left join lateral (
    select e.id::text as execution, e.trigger->>'user' as by from execution_stages s join executions e on e.id = s.execution_id
    where e.application = h.application and s.type = 'deploy' and s.context->>'serverGroup' = h.name
      and coalesce(s.outputs->>'account', s.config->>'account') = h.account and coalesce(s.outputs->>'region', s.config->>'region') = h.region
      and e.created_at <= h.created_at + interval '1 minute'
    order by e.created_at desc limit 1
  ) created on true
  left join lateral (
    select e.id::text as execution, e.trigger->>'user' as by from execution_stages s join executions e on e.id = s.execution_id
    where h.destroyed_at is not null and h.destroyed_by is null and e.application = h.application
      and ((s.type = 'deploy' and s.outputs->'destroyedServerGroups' ? h.name) or (s.type = 'destroyServerGroup' and s.outputs->>'serverGroup' = h.name)
        -- A deploy that failed after launch destroys its own new group when it rolls back (deploy-rollback.ts says so in its error).
        or (s.type = 'deploy' and s.context->>'serverGroup' = h.name and position('rolled back: destroyed ' || h.name in coalesce(s.error, '')) > 0))
      and coalesce(s.outputs->>'account', s.config->>'account') = h.account and coalesce(s.outputs->>'region', s.config->>'region') = h.region
      and e.created_at >= h.created_at - interval '1 minute'
    order by e.created_at limit 1
  ) destroyed on true`;

export function deploymentHistoryRepository(db: Queryable): DeploymentHistoryRepository {
  return {
    async list(filter) {
      const { rows } = await db.query(
        `${SELECT}
         where h.application = any($1) and ($2::text is null or h.application = $2) and ($3::text is null or h.account = $3)
           and ($4::text is null or h.cluster = $4) and ($5::text is null or a.environment = $5)
           and ($6::timestamptz is null or (h.created_at <= $6 and (h.destroyed_at is null or h.destroyed_at > $6)))
         order by h.created_at desc, h.name, h.account, h.region limit $7`,
        [[...filter.applications], filter.application ?? null, filter.account ?? null, filter.cluster ?? null, filter.environment ?? null, filter.at ?? null, filter.limit],
      );
      return rows.map((r) => HistoryEntry.parse(withoutNulls(r)));
    },

    async destroyedBy(key, by) {
      await db.query(
        `update server_group_history set destroyed_by = $4
         where (account, region, name) = ($1, $2, $3) and destroyed_at is not null and destroyed_by is null`,
        [key.account, key.region, key.name, by],
      );
    },
  };
}
