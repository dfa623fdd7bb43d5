import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PRESENCE_LOCK_CLASS } from './migrations/310-engine-presence';

/** `work`: an execution became due; `events`: events were appended. */
export type SignalChannel = 'work' | 'events';

/**
 * Hints between Kiln processes sharing one PostgreSQL (LISTEN/NOTIFY), so another process acts within
 * milliseconds instead of at its next poll. Only hints: the database stays the truth and every
 * process still polls, so a lost signal (a dropped listening connection) costs latency, never work.
 * PGlite has one process, whose engine and event bus already tell each other directly: no signals.
 */
export interface Signals {
  /** Tells the other processes; calls close together are sent as one, with the largest `mark` (e.g. an event id). */
  notify(channel: SignalChannel, mark?: number): void;
  /** Calls onSignal when another process notifies the channel; returns the unsubscribe. */
  listen(channel: SignalChannel, onSignal: (mark: number | undefined) => void): () => void;
  /**
   * Says this process (its engine's lease owner) is alive for as long as its listening connection
   * lives, again after each reconnect: when the process dies, PostgreSQL ends the connection and the
   * others take its work over at once (migration 310), not when its leases run out.
   */
  join?(owner: string): void;
  /** Resolves once this process listens (signals sent before are not heard; the polls find that work). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const CHANNELS: Record<SignalChannel, string> = { work: 'kiln_work', events: 'kiln_events' };
const RECONNECT_MS = 1_000;
/** The least time between two `events` notifications of one process (see send). */
export const EVENTS_GAP_MS = 20;
/** How often a joined process clears the presence rows of processes that died and own nothing any more. */
const PRUNE_MS = 60_000;
const LIVE = `('NOT_STARTED', 'RUNNING', 'BUFFERED')`;

/**
 * Presence rows of processes that are gone (their lock is free) and own nothing the others must
 * take over: no live execution leased or left to them, no running job they supervise, no provider
 * lease. A dead process's row is what tells the others to take its work at once, so it stays until
 * they have; without this, every start that ended in a crash left one row behind for good. A row
 * and its lock appear in one statement (see present), so a starting process is never seen without
 * its lock; one pruned while only its connection blipped is written again when it rejoins (until
 * then its leases simply hold until they run out, the safe side). Gone is kiln_owner_gone's rule
 * (migration 325: its lock free in this database), the one the take-overs use.
 */
export const PRUNE_GONE = `
  delete from engine_processes p
  where kiln_owner_gone(p.owner)
    and not exists (select 1 from executions e where e.status in ${LIVE} and (e.lease_owner = p.owner or e.needs_lease = 'process:' || p.owner))
    and not exists (
      select 1 from job_runs j join executions e on e.id = j.execution_id
      where j.owner = p.owner and j.ended_at is null and e.status in ${LIVE})
    and not exists (select 1 from local_cloud_lease c where c.owner = p.owner)`;

/**
 * `query` sends NOTIFY through the process's pool. Each NOTIFY briefly takes PostgreSQL's global
 * notify lock at commit, so a process sends at most one per channel at a time, and one more for
 * everything asked meanwhile.
 */
export function createPostgresSignals(opts: {
  databaseUrl: string;
  query: (sql: string, params: unknown[]) => Promise<unknown>;
  onError?: ((err: unknown) => void) | undefined;
}): Signals {
  // Our own notifications come back to our listening connection: the payload tells them apart.
  const me = randomUUID();
  const listeners = new Map<string, Set<(mark: number | undefined) => void>>();
  // Channels with a NOTIFY in flight: whether to send one more when it is done, with the largest mark asked for since.
  const sending = new Map<SignalChannel, { again: boolean; mark?: number }>();
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let owner: string | undefined;
  let rejoin: NodeJS.Timeout | undefined;
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));

  const connect = async () => {
    const c = new pg.Client({ connectionString: opts.databaseUrl });
    c.on('notification', (msg) => {
      const [from, mark] = (msg.payload ?? '').split(' ');
      if (from === me) return;
      const n = mark ? Number(mark) : undefined;
      for (const fn of listeners.get(msg.channel) ?? []) fn(Number.isFinite(n) ? n : undefined);
    });
    c.on('error', (err) => {
      opts.onError?.(err);
      if (client === c) client = undefined;
      void c.end().catch(() => undefined);
      schedule();
    });
    try {
      await c.connect();
      for (const channel of Object.values(CHANNELS)) await c.query(`listen ${channel}`);
    } catch (err) {
      opts.onError?.(err);
      void c.end().catch(() => undefined);
      schedule();
      return;
    }
    if (closed) return void (await c.end());
    client = c;
    void present(c);
    listening();
    // Whatever was signalled while not listening is found by the polls; wake everyone once to be sure.
    for (const set of listeners.values()) for (const fn of set) fn(undefined);
  };
  // The row and the lock in one statement: no other process ever sees the row without the lock held
  // (it would call this process gone). A lock still held by this process's previous connection (not
  // yet noticed dead by the server after a network cut) is tried again shortly.
  const present = async (c: pg.Client) => {
    if (!owner || closed || client !== c) return;
    try {
      const { rows } = await c.query<{ ok: boolean }>(
        `with me as (insert into engine_processes (owner) values ($1) on conflict (owner) do update set joined_at = now() returning lock_key)
         select pg_try_advisory_lock(${PRESENCE_LOCK_CLASS}, lock_key) as ok from me`,
        [owner],
      );
      if (rows[0]?.ok) return void prune(c);
    } catch (err) {
      opts.onError?.(err);
    }
    clearTimeout(rejoin);
    rejoin = setTimeout(() => void present(c), RECONNECT_MS);
    rejoin.unref();
  };
  let pruner: NodeJS.Timeout | undefined;
  const prune = (c: pg.Client) => {
    if (closed || client !== c) return;
    // Through the pool: the listening connection stays free to hear signals.
    void opts.query(PRUNE_GONE, []).catch((err: unknown) => opts.onError?.(err));
    pruner ??= setInterval(() => client && prune(client), PRUNE_MS);
    pruner.unref();
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, RECONNECT_MS);
    retry.unref();
  };
  void connect();

  // A gap after each `events` send: with several processes every NOTIFY wakes every listener, and a
  // process writing a transition every millisecond sent one per round trip (a third of its
  // statements). Live views elsewhere learn of a burst at most EVENTS_GAP_MS late (the first event
  // after a quiet spell at once); `work` is never held back, a hand-over waits on it.
  const gapMs: Record<SignalChannel, number> = { work: 0, events: EVENTS_GAP_MS };
  const lastSentAt = new Map<SignalChannel, number>();
  const waits = new Set<NodeJS.Timeout>();
  const send = (channel: SignalChannel, mark: number | undefined): void => {
    lastSentAt.set(channel, performance.now());
    sending.set(channel, { again: false });
    opts
      .query('select pg_notify($1, $2)', [CHANNELS[channel], mark === undefined ? me : `${me} ${mark}`])
      .catch((err: unknown) => opts.onError?.(err))
      .finally(() => {
        const next = sending.get(channel);
        if (!next?.again || closed) return void sending.delete(channel);
        sendOrWait(channel, next.mark);
      });
  };
  // Within the gap, the channel stays "sending" until it has passed: what is asked meanwhile goes out as one, with the largest mark.
  const sendOrWait = (channel: SignalChannel, mark: number | undefined): void => {
    const wait = (lastSentAt.get(channel) ?? Number.NEGATIVE_INFINITY) + gapMs[channel] - performance.now();
    if (wait <= 0) return send(channel, mark);
    sending.set(channel, { again: true, ...(mark === undefined ? {} : { mark }) });
    const timer = setTimeout(() => {
      waits.delete(timer);
      if (!closed) send(channel, sending.get(channel)?.mark);
    }, wait);
    waits.add(timer);
  };

  return {
    notify(channel, mark) {
      if (closed) return;
      const inFlight = sending.get(channel);
      if (!inFlight) return sendOrWait(channel, mark);
      inFlight.again = true;
      if (mark !== undefined) inFlight.mark = Math.max(inFlight.mark ?? mark, mark);
    },
    listen(channel, onSignal) {
      const name = CHANNELS[channel];
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(onSignal);
      return () => void set.delete(onSignal);
    },
    join(who) {
      owner = who;
      if (client) void present(client);
    },
    ready: () => ready,
    async close() {
      closed = true;
      clearTimeout(retry);
      clearTimeout(rejoin);
      clearInterval(pruner);
      for (const w of waits) clearTimeout(w);
      const c = client;
      client = undefined;
      // Left, not died: the row goes (its lock with the connection), so nothing it still holds is taken early.
      if (c && owner) await c.query('delete from engine_processes where owner = $1', [owner]).catch((err: unknown) => opts.onError?.(err));
      await c?.end();
    },
  };
}
