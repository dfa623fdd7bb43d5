import { describe, expect, it } from 'vitest';
import { createDatabase } from '../db/client';
import { createPostgresSignals } from '../db/signals';
import { PRESENCE_LOCK_CLASS } from '../db/migrations/310-engine-presence';
import { PipelineDraft } from '../shared/domain/pipeline';
import { createEventBus } from './events/event-bus';
import { createEngine } from './index';
import { MANUAL } from './test-engine';
import { useTwoDatabases } from './test-two-databases';

// A process says it is alive by a lock on its listening connection; here that connection is cut
// from the server's side (as when the process is killed -9) to see the others take its work at once.
const env = useTwoDatabases();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a Kiln process that dies on PostgreSQL', () => {
  it('has its leased execution taken over at once, not when its 30 s lease runs out; back, it is alive again', { timeout: 60_000 }, async () => {
    if (!env.url) return; // PGlite: one process, nothing to take over
    const db = await createDatabase({ databaseUrl: env.url });
    const signals = createPostgresSignals({ databaseUrl: env.url, query: (sql, params) => db.query(sql, params) });
    try {
      const gone = async (owner: string) => (await db.query<{ g: boolean }>('select kiln_owner_gone($1) as g', [owner])).rows[0]!.g;
      const lockOf = async () =>
        (
          await db.query<{ pid: number }>(
            `select pid from pg_locks where locktype = 'advisory' and classid = ${PRESENCE_LOCK_CLASS} and granted and database = (select oid from pg_database where datname = current_database())`,
          )
        ).rows;
      await signals.ready();
      signals.join?.('a');
      for (let i = 0; i < 100 && (await lockOf()).length === 0; i += 1) await sleep(50);
      expect(await gone('a')).toBe(false);
      expect(await gone('never-joined')).toBe(false); // PGlite, or an engine without signals: only its lease's expiry frees its work

      const starter = env.track(createEngine({ repos: env.repos, events: createEventBus(env.repos), owner: 'starter' }));
      await starter.stop();
      const pipeline = await env.repos.pipelines.create(
        PipelineDraft.parse({ application: 'web', name: 'p', stages: [{ refId: 'w', type: 'wait', name: 'Wait', config: { seconds: 600 } }] }),
        'ana',
      );
      const { id } = await starter.start(pipeline, MANUAL);
      const leased = await env.repos.executions.claim('a', new Date(), 30_000, 1);
      expect(leased.map((l) => l.id)).toEqual([id]);
      const other = env.other();
      expect(await other.executions.claim('b', new Date(), 30_000, 1)).toEqual([]); // 'a' is alive and holds it

      // A's connection dies (kill -9): PostgreSQL releases its lock with it, and B may claim now.
      // Only this test's database: other test files on the same server hold presence locks of their own.
      await db.query(
        `select pg_terminate_backend(pid) from pg_locks
         where locktype = $1 and classid = $2 and granted and database = (select oid from pg_database where datname = current_database())`,
        ['advisory', PRESENCE_LOCK_CLASS],
      );
      for (let i = 0; i < 40 && !(await gone('a')); i += 1) await sleep(25);
      expect(await gone('a')).toBe(true);
      const taken = await other.executions.claim('b', new Date(), 30_000, 1);
      expect(taken.map((l) => l.id)).toEqual([id]);
      // A's late write is fenced by the new claim's token: it changes nothing.
      expect(await env.repos.executions.updateStage(id, 'w', { status: 'SUCCEEDED' }, { status: 'NOT_STARTED', lease: leased[0]! })).toBe(false);

      // A connection that only blipped comes back, and the process is alive again (its work taken once, not twice).
      for (let i = 0; i < 100 && (await lockOf()).length === 0; i += 1) await sleep(50);
      expect(await gone('a')).toBe(false);
    } finally {
      await signals.close();
      await db.close();
    }
  });
});
