import type { ExecutionLogRepository, Session } from '../types';

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

    async read(executionId, { refId, after, limit }) {
      const { rows } = await db.query<{ refId: string; firstSeq: number; lines: unknown }>(
        `select ref_id as "refId", first_seq as "firstSeq", lines from execution_logs
         where execution_id = $1 and ($2::text is null or ref_id = $2) and first_seq + jsonb_array_length(lines) - 1 > $3
         order by first_seq`,
        [executionId, refId ?? null, after],
      );
      const out: Array<{ seq: number; refId: string; line: string }> = [];
      for (const row of rows) {
        const lines = (typeof row.lines === 'string' ? JSON.parse(row.lines) : row.lines) as string[];
        for (const [i, line] of lines.entries()) {
          const seq = Number(row.firstSeq) + i;
          if (seq > after && out.length < limit) out.push({ seq, refId: row.refId, line });
        }
        if (out.length >= limit) break;
      }
      return out;
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
