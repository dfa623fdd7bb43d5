import type { KilnEvent } from '../../shared/api/events';
import { fromJson, iso } from '../sql';
import { logEventParams, storeEvent } from './events';
import type { ExecutionLease, Session } from '../types';

/**
 * Who may store a batch, checked in the transaction that stores it, so a stalled Kiln and the one
 * that took its work over never both store one batch: the holder of the execution's lease (a stage
 * step's lines), or the supervisor of a job attempt for the bytes `from`–`to` of its output, which
 * must start where the stored log ends (job_runs.log_offset, moved to `to` by the same write). `at`
 * is the supervisor's heartbeat, stored by that write too (a batch stored says its supervisor is alive).
 */
export type LogFence = { lease: ExecutionLease } | { job: { attempt: number; owner: string; from: number; to: number; at?: Date } };

export interface ExecutionLogRepository {
  /**
   * Stores lines as one chunk; returns the sequence number of the first line and the bytes stored.
   * `cursor` says where the chunk ends in the source the lines were read from (opaque here).
   */
  append(
    executionId: string,
    refId: string,
    lines: readonly string[],
    cursor?: string,
    fence?: LogFence,
    /** Also stores the `log.lines` event telling of these lines, in the same transaction (returned as `event`, for EventBus.deliver). */
    told?: { application: string },
  ): Promise<{ firstSeq: number; bytes: number; refused?: true; event?: KilnEvent }>;
  /** The cursor of the stage's newest chunk that has one: where to resume reading its source. */
  lastCursor(executionId: string, refId: string): Promise<string | undefined>;
  /**
   * Lines with seq > after (default 0), oldest first, at most `limit`; with `before`, the last
   * `limit` lines below it (the tail of the log when `before` is past its end). `at` is when the
   * line was stored.
   */
  read(
    executionId: string,
    page: { refId?: string | undefined; after?: number; before?: number | undefined; limit: number },
  ): Promise<Array<{ seq: number; refId: string; line: string; at: string }>>;
  /** How many lines (of one stage, or all) have seq < before: where a page starts in the whole log. */
  countBefore(executionId: string, refId: string | undefined, before: number): Promise<number>;
  /**
   * The lines, in order, of the stage's chunks whose stored text holds `needle` (case-sensitive):
   * the caller picks its lines from these. A search for a rare marker unpacks only the chunks that
   * hold it, not the whole log page by page.
   */
  linesOfChunksWith(executionId: string, refId: string, needle: string): Promise<string[]>;
  /** Bytes stored for one stage (for the per-stage cap). */
  bytes(executionId: string, refId: string): Promise<number>;
}

type LogLine = { seq: number; refId: string; line: string; at: string };
type Row = { refId: string; firstSeq: number; lines: unknown; at: string };
/**
 * Each chunk's line count without unpacking its lines (which would read the whole log from disk):
 * sequence numbers are contiguous within an execution, so a chunk holds the lines up to the next
 * chunk of any stage. Only the last chunk's array is measured. $1 is the execution.
 */
const SIZED = `with sized as (
  select ref_id, first_seq, coalesce(lead(first_seq) over (order by first_seq) - first_seq, jsonb_array_length(lines)) as n
  from execution_logs where execution_id = $1)`;
/** The lines of the chunks in `wanted`. */
const PICK = `select l.ref_id as "refId", l.first_seq as "firstSeq", l.lines, ${iso('l.created_at')} as at
  from wanted w join execution_logs l on l.execution_id = $1 and l.first_seq = w.first_seq`;

/** Sequence numbers are per execution, so one log view can interleave stages in the order written. */
export function executionLogRepository(db: Session): ExecutionLogRepository {
  return {
    async append(executionId, refId, lines, cursor, fence, told) {
      if (lines.length === 0) return { firstSeq: 0, bytes: 0 };
      const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
      return db.transaction(async (tx) => {
        // Serialize appenders of one execution so sequence numbers never collide or leave gaps.
        const lease = fence && 'lease' in fence ? fence.lease : undefined;
        const { rowCount: held } = await tx.query('select 1 from executions where id = $1 and ($2::text is null or (lease_owner = $2 and lease_token = $3)) for update', [
          executionId,
          lease?.owner ?? null,
          lease?.token ?? 0,
        ]);
        if (lease && held === 0) return { firstSeq: 0, bytes: 0, refused: true as const };
        const job = fence && 'job' in fence ? fence.job : undefined;
        if (job) {
          // The batch starts where the stored log of this attempt ends, and its supervisor is this process: a
          // batch stored already (by a stalled supervisor, or by this one before a retry) is refused.
          const { rowCount } = await tx.query(
            'update job_runs set log_offset = $6, heartbeat_at = coalesce($7, heartbeat_at) where execution_id = $1 and ref_id = $2 and attempt = $3 and owner = $4 and log_offset = $5',
            [executionId, refId, job.attempt, job.owner, job.from, job.to, job.at?.toISOString() ?? null],
          );
          if (rowCount === 0) return { firstSeq: 0, bytes: 0, refused: true as const };
        }
        // The newest chunk ends the log (sequence numbers are contiguous): found by the primary key, not
        // by unpacking every chunk's lines, which made each append cost as much as the log so far.
        const { rows } = await tx.query<{ next: number }>(
          `select coalesce((select first_seq + jsonb_array_length(lines) from execution_logs where execution_id = $1 order by first_seq desc limit 1), 1) as next`,
          [executionId],
        );
        const firstSeq = Number(rows[0]!.next);
        await tx.query(`insert into execution_logs (execution_id, ref_id, first_seq, lines, bytes, source_cursor) values ($1, $2, $3, $4, $5, $6)`, [
          executionId,
          refId,
          firstSeq,
          JSON.stringify(lines),
          bytes,
          cursor ?? null,
        ]);
        if (!told) return { firstSeq, bytes };
        // With its lines or not at all; the lines themselves are not stored again (logEventParams).
        const event = await storeEvent(tx, logEventParams({ type: 'log.lines', application: told.application, executionId, data: { refId, firstSeq, lines: [...lines] } }));
        return { firstSeq, bytes, event };
      });
    },

    async read(executionId, { refId, after = 0, before, limit }) {
      // Only the chunks holding the `limit` wanted lines are read: a running count over chunk sizes
      // (from SIZED, without unpacking lines) picks them, however long the log is.
      const { rows } =
        before === undefined
          ? await db.query<Row>(
              `${SIZED}, wanted as (
                 select first_seq, least(n, first_seq + n - 1 - $3::bigint) as k,
                   sum(least(n, first_seq + n - 1 - $3::bigint)) over (order by first_seq) as acc
                 from sized where ($2::text is null or ref_id = $2) and first_seq + n - 1 > $3::bigint)
               ${PICK} where w.acc - w.k < $4 order by l.first_seq`,
              [executionId, refId ?? null, after, limit],
            )
          : // Newest chunks first, for the tail or the page before a line.
            await db.query<Row>(
              `${SIZED}, wanted as (
                 select first_seq, least(n, $3::bigint - first_seq, first_seq + n - 1 - $4::bigint) as k,
                   sum(least(n, $3::bigint - first_seq, first_seq + n - 1 - $4::bigint)) over (order by first_seq desc) as acc
                 from sized where ($2::text is null or ref_id = $2) and first_seq < $3::bigint and first_seq + n - 1 > $4::bigint)
               ${PICK} where w.acc - w.k < $5 order by l.first_seq desc`,
              [executionId, refId ?? null, before, after, limit],
            );
      if (before !== undefined) rows.reverse();
      const out: LogLine[] = [];
      for (const row of rows) {
        const lines = fromJson(row.lines) as string[];
        for (const [i, line] of lines.entries()) {
          const seq = Number(row.firstSeq) + i;
          if (seq > after && (before === undefined || seq < before)) out.push({ seq, refId: row.refId, line, at: row.at });
        }
        if (before === undefined && out.length >= limit) break;
      }
      // Oldest first either way: from the start the first `limit`, towards the end the last `limit`.
      return before === undefined ? out.slice(0, limit) : out.slice(-limit);
    },

    async countBefore(executionId, refId, before) {
      // A chunk straddling `before` counts only its lines below it; no line is unpacked.
      const { rows } = await db.query<{ n: number | null }>(
        `${SIZED} select sum(least(n, $3::bigint - first_seq)) as n from sized
         where ($2::text is null or ref_id = $2) and first_seq < $3::bigint`,
        [executionId, refId ?? null, before],
      );
      return Number(rows[0]?.n ?? 0);
    },

    async lastCursor(executionId, refId) {
      const { rows } = await db.query<{ cursor: string }>(
        'select source_cursor as cursor from execution_logs where execution_id = $1 and ref_id = $2 and source_cursor is not null order by first_seq desc limit 1',
        [executionId, refId],
      );
      return rows[0]?.cursor;
    },

    async linesOfChunksWith(executionId, refId, needle) {
      const { rows } = await db.query<{ lines: unknown }>(
        'select lines from execution_logs where execution_id = $1 and ref_id = $2 and strpos(lines::text, $3) > 0 order by first_seq',
        [executionId, refId, needle],
      );
      return rows.flatMap((r) => fromJson(r.lines) as string[]);
    },

    async bytes(executionId, refId) {
      const { rows } = await db.query<{ total: number | null }>('select sum(bytes) as total from execution_logs where execution_id = $1 and ref_id = $2', [executionId, refId]);
      return Number(rows[0]?.total ?? 0);
    },
  };
}
