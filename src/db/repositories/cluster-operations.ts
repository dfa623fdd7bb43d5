import { ClusterOperation, type ClusterOperationState, type ClusterOperationStep } from '../../shared/domain/cluster-operation';
import { fromJson as json, iso, parseRow, parseRows, sqlState, UNIQUE_VIOLATION, withoutNulls } from '../sql';
import type { Queryable } from '../types';

/** Who runs an operation now, with the fencing token of that claim (a later claim has a larger one). */
export interface OperationLease {
  id: string;
  owner: string;
  token: number;
}

export type NewClusterOperation = Pick<ClusterOperation, 'id' | 'kind' | 'application' | 'account' | 'region' | 'cluster' | 'requestedBy' | 'params' | 'steps' | 'createdAt'>;

/** What a step changes: appended step, new state, the groups it found, the reason it failed. */
export interface OperationProgress {
  step?: ClusterOperationStep;
  state?: ClusterOperationState;
  from?: string;
  to?: string;
  error?: string;
}

export interface ClusterOperationRepository {
  /** Stores a new operation, or returns the one already under way on that cluster (at most one is). */
  create(op: NewClusterOperation): Promise<{ created: ClusterOperation } | { active: ClusterOperation }>;
  get(id: string): Promise<ClusterOperation | undefined>;
  list(application: string, options: { activeOnly: boolean; limit: number }): Promise<ClusterOperation[]>;
  applicationOf(id: string): Promise<string | undefined>;
  /** Leases one operation that is due and not leased (SKIP LOCKED: two processes never claim the same). */
  claim(owner: string, now: Date, leaseMs: number, holds: readonly string[]): Promise<OperationLease | undefined>;
  /** Extends a lease still held; false once another claim took it over. */
  renew(lease: OperationLease, now: Date, leaseMs: number): Promise<boolean>;
  /** Records progress under the lease only (fenced); false when it was taken over, and nothing is written. */
  record(lease: OperationLease, progress: OperationProgress, now: Date): Promise<boolean>;
  /** Lets go; looked at again at `wakeAt` (null: at once), only by a process holding `needs` when given. */
  release(lease: OperationLease, wakeAt: Date | null, needs?: string): Promise<void>;
}

const SELECT = `
  select id, kind, application, account, region, cluster, requested_by as "requestedBy", params, state, steps,
         from_group as "from", to_group as "to", error, ${iso('created_at')} as "createdAt", ${iso('updated_at')} as "updatedAt",
         ${iso('finished_at')} as "finishedAt"
  from cluster_operations`;
const ACTIVE = `state in ('PENDING', 'RUNNING')`;
const input = (r: Record<string, unknown>) => ({ ...withoutNulls(r), params: json(r.params), steps: json(r.steps) });
const one = (r: Record<string, unknown>) => parseRow(ClusterOperation, input(r), `cluster operation ${String(r.id)}`, { table: 'cluster_operations', key: String(r.id) });

export function clusterOperationRepository(db: Queryable): ClusterOperationRepository {
  const get = async (id: string) => {
    const { rows } = await db.query(`${SELECT} where id = $1`, [id]);
    return rows[0] ? one(rows[0]) : undefined;
  };
  return {
    get,

    async create(op) {
      try {
        await db.query(
          `insert into cluster_operations (id, kind, application, account, region, cluster, requested_by, params, steps, created_at, updated_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $10)`,
          [op.id, op.kind, op.application, op.account, op.region, op.cluster, op.requestedBy, JSON.stringify(op.params), JSON.stringify(op.steps), op.createdAt],
        );
      } catch (err) {
        if (sqlState(err) !== UNIQUE_VIOLATION) throw err;
        const { rows } = await db.query(`${SELECT} where account = $1 and region = $2 and cluster = $3 and ${ACTIVE}`, [op.account, op.region, op.cluster]);
        // Finished between the insert and this read: the caller may ask again.
        if (rows[0]) return { active: one(rows[0]) };
        throw err;
      }
      return { created: (await get(op.id))! };
    },

    async list(application, { activeOnly, limit }) {
      const { rows } = await db.query(`${SELECT} where application = $1 ${activeOnly ? `and ${ACTIVE}` : ''} order by created_at desc, id limit $2`, [application, limit]);
      return parseRows(ClusterOperation, rows, 'cluster_operations', (r) => String(r.id), input);
    },

    async applicationOf(id) {
      const { rows } = await db.query<{ application: string }>('select application from cluster_operations where id = $1', [id]);
      return rows[0]?.application;
    },

    async claim(owner, now, leaseMs, holds) {
      const { rows } = await db.query<{ id: string; token: string | number }>(
        `update cluster_operations set lease_owner = $1, lease_until = $2, lease_token = lease_token + 1, needs_lease = null
         where id in (
           select id from cluster_operations
           where ${ACTIVE}
             and (lease_until is null or lease_until < $3)
             and (wake_at is null or wake_at <= $3)
             and (needs_lease is null or needs_lease = any($4::text[]))
           order by created_at limit 1
           for update skip locked)
         returning id, lease_token as token`,
        [owner, new Date(now.getTime() + leaseMs).toISOString(), now.toISOString(), [...holds]],
      );
      return rows[0] ? { id: rows[0].id, owner, token: Number(rows[0].token) } : undefined;
    },

    async renew(lease, now, leaseMs) {
      const { rowCount } = await db.query('update cluster_operations set lease_until = $4 where id = $1 and lease_owner = $2 and lease_token = $3', [
        lease.id,
        lease.owner,
        lease.token,
        new Date(now.getTime() + leaseMs).toISOString(),
      ]);
      return rowCount > 0;
    },

    async record(lease, progress, now) {
      const finished = progress.state === 'SUCCEEDED' || progress.state === 'FAILED';
      const { rowCount } = await db.query(
        `update cluster_operations set
           steps = steps || $4::jsonb, state = coalesce($5, state), from_group = coalesce($6, from_group), to_group = coalesce($7, to_group),
           error = coalesce($8, error), updated_at = $9, finished_at = case when $10 then $9::timestamptz else finished_at end
         where id = $1 and lease_owner = $2 and lease_token = $3`,
        [
          lease.id,
          lease.owner,
          lease.token,
          JSON.stringify(progress.step ? [progress.step] : []),
          progress.state ?? null,
          progress.from ?? null,
          progress.to ?? null,
          progress.error ?? null,
          now.toISOString(),
          finished,
        ],
      );
      return rowCount > 0;
    },

    async release(lease, wakeAt, needs) {
      await db.query(
        `update cluster_operations set lease_owner = null, lease_until = null, wake_at = $4::timestamptz, needs_lease = $5
         where id = $1 and lease_owner = $2 and lease_token = $3`,
        [lease.id, lease.owner, lease.token, wakeAt?.toISOString() ?? null, needs ?? null],
      );
    },
  };
}
