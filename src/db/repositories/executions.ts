import { NotFoundError } from '../errors';
import { ExecutionStatus } from '../../shared/domain/execution';
import type { ExecutionPage, ExecutionRepository, Session } from '../types';
import { listPendingJudgmentRows } from './pending-judgments';
import { appendEventCte, eventParams, ID_SLOTS } from './events';
import { decodeCursor, encodeCursor, EXECUTION, INSERT_STAGES, stageRecords, withStages } from './execution-rows';

/** Runs that hold a slot of their pipeline's concurrency limit. */
async function activeCount(tx: Session, pipelineId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(`select count(*)::int as n from executions where pipeline_id = $1 and status in ('NOT_STARTED', 'RUNNING', 'PAUSED')`, [
    pipelineId,
  ]);
  return rows[0]?.n ?? 0;
}

/**
 * The fence of an engine's stage write: the execution is still leased by this owner under this
 * claim's token. FOR SHARE waits for a claim in flight and re-reads the row it committed, so a write
 * and a take-over never interleave (a claim skips the row meanwhile: SKIP LOCKED).
 */
const HELD = (owner: string, token: string) => `exists (select 1 from executions x where x.id = $1 and x.lease_owner = ${owner} and x.lease_token = ${token}::bigint for share)`;

export function executionRepository(db: Session): ExecutionRepository {
  const get = async (id: string) => (await withStages(db, (await db.query(`${EXECUTION} where id = $1`, [id])).rows, true))[0];

  return {
    get,

    async pendingJudgments(limit = 200) {
      const rows = await listPendingJudgmentRows(db, limit);
      if (rows.length === 0) return [];
      // All the executions at once, not one query per waiting stage.
      const found = await withStages(db, (await db.query(`${EXECUTION} where id = any($1::uuid[])`, [[...new Set(rows.map((r) => r.executionId))]])).rows);
      const byId = new Map(found.map((e) => [e.id as string, e]));
      return rows.flatMap((r) => {
        const execution = byId.get(r.executionId);
        return execution ? [{ execution, refId: r.refId, ...(r.waitingSince ? { waitingSince: r.waitingSince } : {}) }] : [];
      });
    },

    async status(id) {
      const { rows } = await db.query<{ status: string }>('select status from executions where id = $1', [id]);
      return rows[0] ? ExecutionStatus.parse(rows[0].status) : undefined;
    },

    async create(execution, concurrency, within) {
      return db.transaction(async (tx) => {
        await within?.(tx);
        let status = execution.status;
        const superseded: string[] = [];
        // In place of the foreign key migration 185 dropped: a run starts only for a pipeline that is
        // there, and the key share lock waits out (or holds off) a delete checking for runs under way.
        const live = await tx.query('select id from pipelines where id = $1 for key share', [execution.pipelineId]);
        if (live.rowCount === 0) throw new NotFoundError(`Pipeline '${execution.pipelineName}' (${execution.pipelineId}) does not exist (any more).`, 'pipelineId');
        if (concurrency) {
          // The pipeline row is the lock: two starts at once cannot both see a free slot.
          await tx.query('select id from pipelines where id = $1 for update', [execution.pipelineId]);
          if ((await activeCount(tx, execution.pipelineId)) >= concurrency.max) status = 'BUFFERED';
          if (status === 'BUFFERED' && !concurrency.keepWaiting) {
            // Only the newest waiting run is kept: the older ones would deploy what this one replaces.
            const { rows } = await tx.query<{ id: string }>(
              `update executions set status = 'CANCELED', ended_at = $2, canceled_by = 'kiln',
                 cancel_reason = $3 where pipeline_id = $1 and status = 'BUFFERED' returning id`,
              [execution.pipelineId, execution.createdAt, `superseded by a newer execution (${execution.id}) while waiting`],
            );
            superseded.push(...rows.map((r) => r.id));
          }
        }
        await tx.query(
          `insert into executions (id, application, pipeline_id, pipeline_name, pipeline_revision, status, trigger, created_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            execution.id,
            execution.application,
            execution.pipelineId,
            execution.pipelineName,
            execution.pipelineRevision,
            status,
            JSON.stringify(execution.trigger),
            execution.createdAt,
          ],
        );
        // All stages in one statement: a 1,000-stage run started with 1,000 round trips.
        await tx.query(INSERT_STAGES, [execution.id, stageRecords(execution.stages)]);
        return { status, superseded };
      });
    },

    async promoteBuffered(pipelineId, max) {
      return db.transaction(async (tx) => {
        await tx.query('select id from pipelines where id = $1 for update', [pipelineId]);
        const free = max - (await activeCount(tx, pipelineId));
        if (free <= 0) return [];
        const { rows } = await tx.query<{ id: string }>(
          `update executions set status = 'NOT_STARTED', woken = true
           where id in (select id from executions where pipeline_id = $1 and status = 'BUFFERED' order by created_at, id limit $2)
           returning id`,
          [pipelineId, free],
        );
        return rows.map((r) => r.id);
      });
    },

    async applicationOf(id) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
      const { rows } = await db.query<{ application: string }>('select application from executions where id = $1', [id]);
      return rows[0]?.application;
    },

    async stageStatus(id, refId) {
      const { rows } = await db.query<{ status: string }>('select status from execution_stages where execution_id = $1 and ref_id = $2', [id, refId]);
      return rows[0] ? ExecutionStatus.parse(rows[0].status) : undefined;
    },

    async list(application, filter) {
      const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
      if (filter.cursor && !after) return { executions: [], nextCursor: undefined, badCursor: true } satisfies ExecutionPage;
      const { rows } = await db.query(
        `${EXECUTION}
         where ($1::text is null or application = $1) and ($2::text[] is null or status = any($2::text[]))
           and ($3::uuid is null or pipeline_id = $3)
           and ($4::timestamptz is null or (created_at, id) < ($4::timestamptz, $5::uuid))
           and ($7::text is null or trigger->>'type' = $7)
           and ($8::timestamptz is null or created_at >= $8) and ($9::timestamptz is null or created_at < $9)
         order by created_at desc, id desc limit $6`,
        [
          application ?? null,
          filter.statuses ? [...filter.statuses] : null,
          filter.pipelineId ?? null,
          after?.[0] ?? null,
          after?.[1] ?? null,
          filter.limit + 1,
          filter.trigger ?? null,
          filter.since ?? null,
          filter.until ?? null,
        ],
      );
      const page = await withStages(db, rows.slice(0, filter.limit));
      return { executions: page, nextCursor: rows.length > filter.limit ? encodeCursor(page.at(-1)!) : undefined, badCursor: false };
    },

    async claim(owner, now, leaseMs, limit, holds = []) {
      // SKIP LOCKED: several Kiln processes on one PostgreSQL never claim the same execution.
      const { rows } = await db.query<{ id: string; token: string | number }>(
        `update executions set lease_owner = $1, lease_until = $2, woken = false, lease_token = lease_token + 1, needs_lease = null
         where id in (
           select id from executions
           where status in ('NOT_STARTED', 'RUNNING', 'BUFFERED')
             -- Not even its own owner's: a process advances executions side by side, never one twice at once.
             -- or whose owner died (its presence lock is free: migration 310), at once rather than when the lease runs out.
             and (lease_until is null or lease_until < $3 or kiln_owner_gone(lease_owner))
             and (woken or wake_at is null or wake_at <= $3)
             -- Left to the process that can take its next step (the local cloud's, or the one watching its
             -- jobs, until the poll: it may have died): no claim just to put it back.
             and (needs_lease is null or needs_lease = any($5::text[])
               or (needs_lease like 'process:%' and (wake_at <= $3 or kiln_owner_gone(substr(needs_lease, 9))))
               -- A container account's lease nobody holds now (its holder died or stopped): any process may step it,
               -- which makes that account's provider here and takes the lease (providers are made on first use, so a
               -- process that never used the account holds none; without this it would wait forever).
               or (needs_lease like 'docker:%' and not exists (select 1 from local_cloud_lease l where l.id = needs_lease and l.expires_at >= now())))
           order by created_at limit $4
           for update skip locked)
         returning id, lease_token as token`,
        [owner, new Date(now.getTime() + leaseMs).toISOString(), now.toISOString(), limit, [...holds]],
      );
      return rows.map((r) => ({ id: r.id, owner, token: Number(r.token) }));
    },

    async renew(leases, now, leaseMs) {
      if (leases.length === 0) return [];
      const { rows } = await db.query<{ id: string }>(
        `update executions e set lease_until = $4
         from unnest($1::uuid[], $2::text[], $3::bigint[]) as l(id, owner, token)
         where e.id = l.id and e.lease_owner = l.owner and e.lease_token = l.token
         returning e.id`,
        [leases.map((l) => l.id), leases.map((l) => l.owner), leases.map((l) => l.token), new Date(now.getTime() + leaseMs).toISOString()],
      );
      return rows.map((r) => r.id);
    },

    async release(lease, wakeAt, needs) {
      await db.query(
        `update executions set lease_owner = null, lease_until = null, wake_at = $4::timestamptz, needs_lease = $5
         where id = $1 and lease_owner = $2 and lease_token = $3`,
        [lease.id, lease.owner, lease.token, wakeAt === 'never' ? 'infinity' : (wakeAt?.toISOString() ?? null), needs ?? null],
      );
    },

    async recordLaunch(lease, refId, attempt, record, replacing) {
      const { rowCount } = await db.query(
        `update execution_stages set context = context || $6::jsonb
         where execution_id = $1 and ref_id = $2 and attempt = $3 and status = 'RUNNING' and (context->>'launchedAt') is not distinct from $7::text
           and ${HELD('$4', '$5')}`,
        [lease.id, refId, attempt, lease.owner, lease.token, JSON.stringify(record), replacing ?? null],
      );
      return rowCount > 0;
    },

    async resetStages(id, refIds) {
      await db.query(
        `update execution_stages set status = 'NOT_STARTED', started_at = null, ended_at = null, outputs = '{}',
           error = null, context = '{}', tasks = '[]', attempt = attempt + 1
         where execution_id = $1 and ref_id = any($2::text[])`,
        [id, [...refIds]],
      );
    },

    async reopen(id) {
      await db.query(`update executions set status = 'RUNNING', ended_at = null, woken = true where id = $1`, [id]);
    },

    async wake(id, anyProcess = false) {
      await db.query(`update executions set woken = true, needs_lease = case when $2 and needs_lease like 'process:%' then null else needs_lease end where id = $1`, [
        id,
        anyProcess,
      ]);
    },

    async updateExecution(id, patch, expect) {
      const { rowCount } = await db.query(
        `update executions set status = coalesce($2, status), started_at = coalesce($3::timestamptz, started_at),
           ended_at = coalesce($4::timestamptz, ended_at), canceled_by = coalesce($5, canceled_by),
           cancel_reason = coalesce($6, cancel_reason), paused = coalesce($7::jsonb, paused),
           woken = woken or $8
         where id = $1 and ($9::text[] is null or status = any($9::text[]))
           and ($10::text is null or (lease_owner = $10 and lease_token = $11))`,
        [
          id,
          patch.status ?? null,
          patch.startedAt ?? null,
          patch.endedAt ?? null,
          patch.canceledBy ?? null,
          patch.cancelReason ?? null,
          patch.paused ? JSON.stringify(patch.paused) : null,
          expect?.wake ?? false,
          expect?.status ? [...expect.status] : null,
          expect?.lease?.owner ?? null,
          expect?.lease?.token ?? 0,
        ],
      );
      return rowCount > 0;
    },

    async updateStage(id, refId, patch, expect, told) {
      // The event telling of the change is stored by the same statement, only when the write took:
      // one round trip and one commit per transition instead of two, and never one without the other.
      const update = `update execution_stages set status = coalesce($3, status), started_at = coalesce($4::timestamptz, started_at),
           ended_at = coalesce($5::timestamptz, ended_at), outputs = coalesce($6::jsonb, outputs),
           error = coalesce($7, error), context = coalesce($8::jsonb, context), tasks = coalesce($10::jsonb, tasks)
         where execution_id = $1 and ref_id = $2 and ($9::text is null or status = $9)
           and ($11::text is null or ${HELD('$11', '$12')})`;
      const params = [
        id,
        refId,
        patch.status ?? null,
        patch.startedAt ?? null,
        patch.endedAt ?? null,
        patch.outputs ? JSON.stringify(patch.outputs) : null,
        patch.error ?? null,
        patch.context ? JSON.stringify(patch.context) : null,
        expect?.status ?? null,
        patch.tasks ? JSON.stringify(patch.tasks) : null,
        expect?.lease?.owner ?? null,
        expect?.lease?.token ?? 0,
      ];
      if (!told) return (await db.query(update, params)).rowCount > 0;
      const { params: eventValues, checked } = eventParams(told.event);
      const { rows } = await db.query<{ updated: number; id: number | null; at: string | null; execution: string | null }>(
        `with changed as (${update} returning 1), ${appendEventCte(13, 'exists (select 1 from changed)')}
         select (select count(*) from changed)::int as updated, (select id from appended), (select at from appended),
           (select status from executions where id = $1) as execution`,
        [...params, ...eventValues],
      );
      const { updated, id: eventId, at, execution } = rows[0]!;
      if (execution !== null) told.execution?.(ExecutionStatus.parse(execution));
      if (updated === 0) return false;
      if (eventId === null || at === null) throw new Error(`more than ${ID_SLOTS} events appended in one transaction`);
      // Parsed once, before it was stored: only its id and time come back.
      told.stored({ ...checked, id: Number(eventId), at });
      return true;
    },
  };
}
