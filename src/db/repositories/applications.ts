import { Application, ApplicationSummary, type NewApplication } from '../../shared/domain/application';
import { ConflictError, NotFoundError } from '../errors';
import { containsPattern, FOREIGN_KEY_VIOLATION, iso, parseRow, parseRows, sqlState, UNIQUE_VIOLATION } from '../sql';
import type { Queryable } from '../types';

export interface ApplicationRepository {
  list(filter?: { q?: string | undefined; project?: string | undefined }): Promise<ApplicationSummary[]>;
  get(name: string): Promise<ApplicationSummary | undefined>;
  /** Throws ConflictError when the name is taken, NotFoundError when the project does not exist. */
  create(input: NewApplication, options?: { demo?: boolean }): Promise<Application>;
  update(name: string, patch: { description?: string | undefined; ownerEmail?: string | undefined }): Promise<Application | undefined>;
  /** What keeps an application from being deleted: its pipelines, server groups, load balancers (as account/region/name) and past executions. */
  dependents(name: string): Promise<{ pipelines: string[]; serverGroups: string[]; loadBalancers: string[]; executions: number }>;
  delete(name: string): Promise<boolean>;
}

const COLUMNS = `a.name, a.project, a.description, a.owner_email as "ownerEmail", a.demo, ${iso('a.created_at')} as "createdAt"`;

/**
 * Summaries with their counts in one statement, so the applications list costs one query however
 * many applications there are. A cluster is counted once per account, as the clusters view shows it.
 */
const SUMMARY = `
  select ${COLUMNS},
         g.cluster_count as "clusterCount", g.server_group_count as "serverGroupCount",
         i.instance_count as "instanceCount", coalesce(g.accounts, '{}') as accounts
  from applications a
  left join lateral (
    select count(distinct (sg.account, sg.cluster))::int as cluster_count,
           count(*)::int as server_group_count,
           array_agg(distinct sg.account order by sg.account) as accounts
    from server_groups sg where sg.application = a.name
  ) g on true
  left join lateral (
    select count(*)::int as instance_count
    from server_groups sg
    join instances inst on (inst.account, inst.region, inst.server_group) = (sg.account, sg.region, sg.name)
    where sg.application = a.name
  ) i on true`;

export function applicationRepository(db: Queryable): ApplicationRepository {
  const summaries = async (where: string[], params: unknown[]) => {
    const clause = where.length > 0 ? `where ${where.join(' and ')}` : '';
    const { rows } = await db.query(`${SUMMARY} ${clause} order by a.name`, params);
    return parseRows(ApplicationSummary, rows, 'applications', (r) => String(r.name));
  };

  return {
    list(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.project) {
        params.push(filter.project);
        where.push(`a.project = $${params.length}`);
      }
      const q = filter.q?.trim();
      if (q) {
        params.push(containsPattern(q));
        where.push(`(a.name ilike $${params.length} or a.description ilike $${params.length})`);
      }
      return summaries(where, params);
    },

    async get(name) {
      return (await summaries(['a.name = $1'], [name]))[0];
    },

    async create(input: NewApplication, options = {}) {
      try {
        const { rows } = await db.query(
          `insert into applications as a (name, project, description, owner_email, demo) values ($1, $2, $3, $4, $5)
           returning ${COLUMNS}`,
          [input.name, input.project, input.description, input.ownerEmail, options.demo ?? false],
        );
        return parseRow(Application, rows[0], 'application');
      } catch (err) {
        const state = sqlState(err);
        if (state === UNIQUE_VIOLATION) throw new ConflictError(`application '${input.name}' already exists`, 'name');
        if (state === FOREIGN_KEY_VIOLATION) throw new NotFoundError(`project '${input.project}' does not exist`, 'project');
        throw err;
      }
    },

    async update(name, patch) {
      const { rows } = await db.query(
        `update applications as a set description = coalesce($2, description), owner_email = coalesce($3, owner_email) where name = $1 returning ${COLUMNS}`,
        [name, patch.description ?? null, patch.ownerEmail ?? null],
      );
      return rows[0] ? parseRow(Application, rows[0], 'application') : undefined;
    },

    async dependents(name) {
      const names = async (sql: string) => (await db.query<{ name: string }>(sql, [name])).rows.map((r) => r.name);
      const [pipelines, serverGroups, loadBalancers, executions] = await Promise.all([
        names('select name from pipelines where application = $1 order by name'),
        names(`select account || '/' || region || '/' || name as name from server_groups where application = $1 order by name, account, region`),
        names(`select account || '/' || region || '/' || name as name from load_balancers where application = $1 order by name, account, region`),
        db.query<{ n: number }>('select count(*)::int as n from executions where application = $1', [name]),
      ]);
      return { pipelines, serverGroups, loadBalancers, executions: executions.rows[0]?.n ?? 0 };
    },

    async delete(name) {
      // Traffic guards are settings of the application, not things it runs: they go with it, in one
      // statement (foreign keys are checked at its end, so both deletes count).
      const { rowCount } = await db.query('with guards as (delete from traffic_guards where application = $1) delete from applications where name = $1', [name]);
      return rowCount > 0;
    },
  };
}
