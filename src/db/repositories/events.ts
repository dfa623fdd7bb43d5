import { KilnEvent, type NewKilnEvent } from '../../shared/api/events';
import { fromJson as json, iso, parseRows, withoutNulls } from '../sql';
import type { EventRepository, Session } from '../types';

/**
 * Event ids, and why appends take no lock.
 *
 * A reader resumes "after id N", so an id must never become visible after a larger one was read.
 * A sequence does not give that: ids are drawn at insert but transactions commit in any order. The
 * old fix, a global lock around every append, made every process's writes wait for one another.
 *
 * Instead an event's id is its transaction's id (xid, 64-bit, assigned in order) shifted by
 * `events_clock.base` and times ID_SLOTS, plus its place among that transaction's events. A reader
 * only returns ids below the watermark: the oldest transaction still in progress (its snapshot's
 * xmin, see WATERMARK). Every transaction below it has ended, so nothing can still appear below the watermark;
 * anything in flight gets an id at or above it. An event that commits late therefore waits, it is
 * never skipped, and no appender waits for another. The cost: a long writing transaction on this
 * database holds back what readers see (not what they get) until it ends.
 */
export const ID_SLOTS = 1024;

/**
 * The oldest transaction in progress that could still append here: the snapshot's in-progress xids
 * but those running in another database on the same server (those never write this table, and
 * PostgreSQL snapshots span the whole server: other databases' transactions would hold readers
 * back). An xid no longer running anywhere may have committed after the snapshot, so it counts.
 */
const WATERMARK = `(select (coalesce(
    (select min(x::text::bigint) from pg_snapshot_xip(pg_current_snapshot()) x
     where not exists (select 1 from pg_stat_activity a where a.backend_xid = x::xid and a.datname <> current_database())),
    pg_snapshot_xmax(pg_current_snapshot())::text::bigint) + base) * ${ID_SLOTS}
  from events_clock)`;

type Row = { id: number; type: string; application: string | null; executionId: string | null; data: unknown; at: string; lines: unknown };

/**
 * The CTEs that append one event in the statement that holds them (its params from `$at` on, see
 * eventParams), named `appended`; `when` gates it (the event is stored only with the write it tells of).
 */
export const appendEventCte = (at: number, when = 'true') => `me as materialized (
    select (pg_current_xact_id()::text::bigint + base) * ${ID_SLOTS} as first from events_clock where ${when}
  ), slot as materialized (
    select first + (select count(*) from events where id >= first and id < first + ${ID_SLOTS}) as id, first from me
  ), appended as (
    insert into events (id, type, application, execution_id, payload)
    select id, $${at}, $${at + 1}, $${at + 2}, $${at + 3} from slot where id < first + ${ID_SLOTS}
    returning id, type, application, execution_id as "executionId", payload as data, ${iso('created_at')} as at
  )`;

/** Validated before storing: a bad event would otherwise fail every reader of the log, later. `checked` is it as stored, but its id and time. */
export function eventParams(event: NewKilnEvent): { params: unknown[]; checked: KilnEvent } {
  const checked = KilnEvent.parse({ ...event, id: 0, at: new Date().toISOString() });
  return { params: [checked.type, checked.application ?? null, checked.executionId ?? null, JSON.stringify(checked.data)], checked };
}

/**
 * Stores one event already checked (eventParams, logEventParams) in its own statement and returns it
 * with its id and time: it was parsed before it was stored, so nothing else is read back (a log
 * batch's payload is up to 512 KB, read back and parsed again for nothing).
 */
export async function storeEvent(db: Pick<Session, 'query'>, { params, checked }: { params: unknown[]; checked: KilnEvent }): Promise<KilnEvent> {
  const { rows } = await db.query<{ id: number; at: string }>(`with ${appendEventCte(1)} select id, at from appended`, params);
  if (rows.length === 0) throw new Error(`more than ${ID_SLOTS} events appended in one transaction`);
  return { ...checked, id: Number(rows[0]!.id), at: rows[0]!.at };
}

/**
 * A job's batch of log lines as an event whose lines are stored once, in the execution log's chunk
 * that starts at `firstSeq` (the same transaction stores both, see execution-logs.ts): a flood of
 * output is then written to the database once, not twice. The stored payload names the chunk
 * (`inLog`); `after` reads the lines from it, so readers get the same event as any other.
 */
export function logEventParams(event: Extract<NewKilnEvent, { type: 'log.lines' }>): { params: unknown[]; checked: KilnEvent } {
  const checked = KilnEvent.parse({ ...event, id: 0, at: new Date().toISOString() });
  const { refId, firstSeq } = event.data;
  return { params: [checked.type, checked.application ?? null, checked.executionId ?? null, JSON.stringify({ refId, firstSeq, inLog: true })], checked };
}

function input(row: Row) {
  const { lines, ...rest } = row;
  const data = json(row.data) as Record<string, unknown>;
  if (!data?.inLog) return { ...withoutNulls(rest), id: Number(row.id), data };
  // The chunk is gone only with its execution (deleted): its lines are then gone too.
  return { ...withoutNulls(rest), id: Number(row.id), data: { refId: data.refId, firstSeq: data.firstSeq, lines: lines === null ? [] : json(lines) } };
}

export function eventRepository(db: Session): EventRepository {
  return {
    async append(event) {
      // One statement, so one round trip; ids of this transaction's earlier events are visible to it.
      return storeEvent(db, eventParams(event));
    },

    async after(afterId, filter, limit, known) {
      // Events the caller holds already (published by this process) come back without their payload.
      const ids = known && known.size > 0 ? [...known.keys()] : null;
      const { rows } = await db.query<Row>(
        `with page as (
           select id, type, application, execution_id, created_at, coalesce(id = any($5::bigint[]), false) as held,
             payload
           from events
           where id > $1 and id < ${WATERMARK} and ($2::text is null or application = $2) and ($3::uuid is null or execution_id = $3)
           order by id limit $4)
         select id, type, application, execution_id as "executionId", ${iso('created_at')} as at,
           case when held then null else payload end as data,
           case when not held and payload ->> 'inLog' is not null then
             (select l.lines from execution_logs l where l.execution_id = page.execution_id and l.first_seq = (payload ->> 'firstSeq')::int) end as lines
         from page order by id`,
        [afterId, filter.application ?? null, filter.executionId ?? null, limit, ids],
      );
      // One bad event must not stall every live view: it is left out (and quarantined).
      const held = (r: Row) => (r.data === null ? known?.get(Number(r.id)) : undefined);
      const parsed = parseRows(
        KilnEvent,
        rows.filter((r) => !held(r)),
        'events',
        (r) => String(r.id),
        input,
      );
      if (parsed.length === rows.length) return parsed;
      // Merged back in id order (a row that failed to parse is missing from `parsed`).
      const byId = new Map(parsed.map((e) => [e.id, e]));
      return rows.flatMap((r) => held(r) ?? byId.get(Number(r.id)) ?? []);
    },

    async visibleBelow() {
      const { rows } = await db.query<{ id: number }>(`select ${WATERMARK} as id`);
      return Number(rows[0]?.id ?? 0);
    },

    async latestId() {
      const { rows } = await db.query<{ id: number }>(`select coalesce(max(id), 0) as id from events where id < ${WATERMARK}`);
      return Number(rows[0]?.id ?? 0);
    },
  };
}
