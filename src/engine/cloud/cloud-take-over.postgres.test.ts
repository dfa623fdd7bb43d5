import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../db/client';
import { createRepositories } from '../../db/repositories';
import { PRESENCE_LOCK_CLASS } from '../../db/migrations/310-engine-presence';
import type { Database } from '../../db/types';
import type { LocalCloud } from './local';
import { openTestCloud, until, type TestCloud } from './test-cloud';

// Two Kiln processes on one PostgreSQL, each with its local cloud; process A runs it. A's presence
// (migration 310) is a lock on a connection of its own, as signals.ts holds it; the test ends that
// connection from the server's side, which is what PostgreSQL sees when A is killed -9. The lease is
// a minute long: B must take the local cloud over because A is gone, not because its lease ran out.
let t: TestCloud | undefined;
let second: Database | undefined;
let presence: pg.Client | undefined;
const clouds: LocalCloud[] = [];
afterEach(async () => {
  await presence?.end().catch(() => undefined);
  await t?.close(...clouds.splice(0));
  await second?.close();
  t = undefined;
  second = undefined;
  presence = undefined;
});

/** Joins as `owner` the way signals.ts does: the row and the lock in one statement, on a connection of its own. */
async function join(url: string, owner: string): Promise<{ client: pg.Client; backend: number }> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // ended by the test
  await client.connect();
  const { rows } = await client.query<{ ok: boolean; backend: number }>(
    `with me as (insert into engine_processes (owner) values ($1) returning lock_key)
     select pg_try_advisory_lock(${PRESENCE_LOCK_CLASS}, lock_key) as ok, pg_backend_pid() as backend from me`,
    [owner],
  );
  expect(rows[0]!.ok).toBe(true);
  return { client, backend: rows[0]!.backend };
}

describe('the local cloud of a Kiln process that dies on PostgreSQL', () => {
  it('is taken over by the process standing by at once, not when its lease runs out', { timeout: 60_000 }, async () => {
    t = await openTestCloud({ leaseMs: 60_000, owner: 'a' });
    if (!t.url) return; // PGlite: one process, nothing to take over
    const a = await join(t.url, 'a');
    presence = a.client;
    second = await createDatabase({ databaseUrl: t.url });
    const b = t.make({ owner: 'b', leaseMs: 60_000, repos: createRepositories(second) });
    clouds.push(b);
    await b.start();
    expect([t.cloud.leading, b.leading]).toEqual([true, false]);
    // A is alive: B keeps standing by through several of its looks.
    await new Promise((r) => setTimeout(r, 1000));
    expect([t.cloud.leading, b.leading]).toEqual([true, false]);

    // A's connection dies with its process: PostgreSQL frees A's presence lock, and B runs the local cloud.
    await t.db.query('select pg_terminate_backend($1)', [a.backend]);
    const diedAt = Date.now();
    await until('B to run the local cloud', async () => b.leading, 20_000);
    // Its looks are a quarter second apart; the rest is a loaded machine's slack, far from the minute-long lease.
    expect(Date.now() - diedAt).toBeLessThan(10_000);
    expect(await t.repos.cloudProcesses.leaseHolder()).toBe('b');
    // A (here still running, as a process whose connection was cut would be) lets go at its next renewal.
    await until('A to let go of the local cloud', async () => !t!.cloud.leading, 20_000);
  });
});
