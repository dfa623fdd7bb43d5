import { KilnEvent } from '../../shared/api/events';
import { iso, parseRow, parseRows, withoutNulls } from '../sql';
import type { EventRepository, Session } from '../types';

/**
 * Advisory-lock key that serializes appends on PostgreSQL ("evnt" in ASCII, recognizable in pg_locks).
 *
 * Why: a bigserial id is taken when the row is inserted, but transactions commit in any order. If
 * id 11 became visible before id 10, a reader that has sent 11 resumes "after 11" and skips 10
 * forever. Taking this lock before the insert, in the same transaction, means the next id is drawn
 * only after the previous appender committed, so ids become visible in increasing order. The lock
 * is held until commit: when append runs on an outer transaction's handle, other appends wait for
 * that whole transaction, which is the price of the guarantee. PGlite has one connection, so its
 * transactions already run one at a time.
 */
export const EVENTS_APPEND_LOCK_KEY = 0x65766e74;

const SELECT = `
  select id, type, application, execution_id as "executionId", payload as data, ${iso('created_at')} as at
  from events`;

type Row = { id: number; type: string; application: string | null; executionId: string | null; data: unknown; at: string };

const input = (row: Row) => ({ ...withoutNulls(row), id: Number(row.id), data: typeof row.data === 'string' ? JSON.parse(row.data) : row.data });
const toEvent = (row: Row): KilnEvent => parseRow(KilnEvent, input(row), `event ${row.id}`);

export function eventRepository(db: Session): EventRepository {
  return {
    async append(event) {
      // Validate before storing: a bad event would otherwise fail every reader of the log, later.
      const checked = KilnEvent.parse({ ...event, id: 0, at: new Date().toISOString() });
      // One statement, so one round trip: in autocommit it is its own transaction, and the CTE takes
      // the lock before the insert draws its id (see EVENTS_APPEND_LOCK_KEY). PGlite has one
      // connection and takes the same lock at no cost.
      const { rows } = await db.query<Row>(
        `with lock as (select pg_advisory_xact_lock($5))
         insert into events (type, application, execution_id, payload)
         select $1, $2, $3, $4 from lock
         returning id, type, application, execution_id as "executionId", payload as data, ${iso('created_at')} as at`,
        [checked.type, checked.application ?? null, checked.executionId ?? null, JSON.stringify(checked.data), EVENTS_APPEND_LOCK_KEY],
      );
      const row = rows[0]!;
      return toEvent(row);
    },

    async after(afterId, filter, limit) {
      const { rows } = await db.query<Row>(
        `${SELECT}
         where id > $1 and ($2::text is null or application = $2) and ($3::uuid is null or execution_id = $3)
         order by id limit $4`,
        [afterId, filter.application ?? null, filter.executionId ?? null, limit],
      );
      // One bad event must not stall every live view: it is left out (and quarantined).
      return parseRows(KilnEvent, rows, 'events', (r) => String(r.id), input);
    },

    async latestId() {
      const { rows } = await db.query<{ id: number }>('select coalesce(max(id), 0) as id from events');
      return Number(rows[0]?.id ?? 0);
    },
  };
}
