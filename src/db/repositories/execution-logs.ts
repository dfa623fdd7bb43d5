import { iso } from '../sql';
import type { ExecutionLogRepository, Session } from '../types';

type LogLine = { seq: number; refId: string; line: string; at: string };
type Row = { refId: string; firstSeq: number; lines: unknown; at: string };
const SELECT = `select ref_id as "refId", first_seq as "firstSeq", lines, ${iso('created_at')} as at from execution_logs`;

/** Sequence numbers are per execution, so one log view can interleave stages in the order written. */
export function executionLogRepository(db: Session): ExecutionLogRepository {
  return {
    async append(executionId, refId, lines) {
      if (lines.length === 0) return { firstSeq: 0, bytes: 0 };
      const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
      return db.transaction(async (tx) => {
        // Serialize appenders of one execution so sequence numbers never collide or leave gaps.
        await tx.query('select 1 from executions where id = $1 for update', [executionId]);
        const { rows } = await tx.query<{ next: number }>(
          `select coalesce(max(first_seq + jsonb_array_length(lines)), 1) as next from execution_logs where execution_id = $1`,
          [executionId],
        );
        const firstSeq = Number(rows[0]!.next);
        await tx.query(`insert into execution_logs (execution_id, ref_id, first_seq, lines, bytes) values ($1, $2, $3, $4, $5)`, [
          executionId,
          refId,
          firstSeq,
          JSON.stringify(lines),
          bytes,
        ]);
        return { firstSeq, bytes };
      });
    },

    async read(executionId, { refId, after = 0, before, limit }) {
      // Every chunk read holds at least one wanted line, so `limit` chunks always hold `limit` lines:
      // the LIMIT bounds the read however long the log is.
      const { rows } =
        before === undefined
          ? await db.query<Row>(
              `${SELECT} where execution_id = $1 and ($2::text is null or ref_id = $2) and first_seq + jsonb_array_length(lines) - 1 > $3::bigint
               order by first_seq limit $4`,
              [executionId, refId ?? null, after, limit],
            )
          : // Newest chunks first (the index walks backwards), for the tail or the page before a line.
            await db.query<Row>(
              `${SELECT} where execution_id = $1 and ($2::text is null or ref_id = $2) and first_seq < $3::bigint and first_seq + jsonb_array_length(lines) - 1 > $4::bigint
               order by first_seq desc limit $5`,
              [executionId, refId ?? null, before, after, limit],
            );
      if (before !== undefined) rows.reverse();
      const out: LogLine[] = [];
      for (const row of rows) {
        const lines = (typeof row.lines === 'string' ? JSON.parse(row.lines) : row.lines) as string[];
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
      // Sums chunk lengths (a chunk straddling `before` counts only its lines below it): no line is unpacked.
      const { rows } = await db.query<{ n: number | null }>(
        `select sum(least(jsonb_array_length(lines), $3::bigint - first_seq)) as n from execution_logs
         where execution_id = $1 and ($2::text is null or ref_id = $2) and first_seq < $3::bigint`,
        [executionId, refId ?? null, before],
      );
      return Number(rows[0]?.n ?? 0);
    },

    async bytes(executionId, refId) {
      const { rows } = await db.query<{ total: number | null }>(
        'select sum(bytes) as total from execution_logs where execution_id = $1 and ref_id = $2',
        [executionId, refId],
      );
      return Number(rows[0]?.total ?? 0);
    },
  };
}
