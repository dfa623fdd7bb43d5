import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../db/client';
import { createRepositories } from '../../db/repositories';
import { PRESENCE_LOCK_CLASS } from '../../db/migrations/310-engine-presence';
import { PRUNE_GONE } from '../../db/signals';
import type { Database } from '../../db/types';
import type { LocalCloud } from './local';
import { openTestCloud, until, type TestCloud } from './test-cloud';

// Two Kiln processes on one PostgreSQL, each with its local cloud; process A (the test cloud) runs it
// and B stands by. A's presence (migration 310) is a lock on a connection of its own, as signals.ts
// holds it; the test ends that connection from the server's side, which is what PostgreSQL sees when
// A is killed -9 — and also when only that connection was cut while A runs on. A is "dead" here when
// its renewals stop too (held back by the test). The lease is a minute long: B must take the local
// cloud over because A is gone, not because its lease ran out, and never while A still acts.
let t: TestCloud | undefined;
let second: Database | undefined;
let presence: pg.Client | undefined;
let release: (() => void) | undefined;
const clouds: LocalCloud[] = [];
afterEach(async () => {
  release?.();
  await presence?.end().catch(() => undefined);
  await t?.close(...clouds.splice(0));
  await second?.close();
  t = undefined;
  second = undefined;
  presence = undefined;
  release = undefined;
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

/** A running the local cloud as 'a' (joined to presence unless told not to), B standing by as 'b'. */
async function twoProcesses(opts: { joined: boolean; leaseMs: number }) {
  t = await openTestCloud({ leaseMs: opts.leaseMs, owner: 'a' });
  if (!t.url) return undefined;
  const a = opts.joined ? await join(t.url, 'a') : undefined;
  presence = a?.client;
  const { repos, db } = t;
  // A's next renewal finds it joined: from then on it may be called gone (and bounds itself by the grace).
  const joined = async () => (await db.query<{ g: boolean }>(`select gone_after is not null as g from local_cloud_lease`)).rows[0]?.g;
  if (opts.joined) await until('A to renew as a joined process', joined);
  second = await createDatabase({ databaseUrl: t.url });
  const b = t.make({ owner: 'b', leaseMs: 60_000, repos: createRepositories(second) });
  clouds.push(b);
  await b.start();
  expect([t.cloud.leading, b.leading]).toEqual([true, false]);
  return { a, b, cloud: t.cloud, repos };
}

/** Holds A's renewals back from now on (a stalled or cut-off process); `release` lets them through. */
function stallRenewals(repos: TestCloud['repos']): void {
  const real = repos.cloudProcesses.holdLease;
  const gate = new Promise<void>((resolve) => (release = resolve));
  repos.cloudProcesses.holdLease = (...args) => gate.then(() => real(...args));
}

/** Samples both processes every few milliseconds until stopped: whether they ever both ran the local cloud. */
function watchForTwoLeaders(a: LocalCloud, b: LocalCloud): () => boolean {
  let both = false;
  const timer = setInterval(() => (both ||= a.leading && b.leading), 5);
  return () => (clearInterval(timer), both);
}

const cut = (backend: number) => t!.db.query('select pg_terminate_backend($1)', [backend]);

describe('the local cloud of a Kiln process on PostgreSQL, with another standing by', () => {
  it('is kept by a live holder whose presence connection was cut, however long, and a prune meanwhile keeps its row', { timeout: 60_000 }, async () => {
    const p = await twoProcesses({ joined: true, leaseMs: 60_000 });
    if (!p) return; // PGlite: one process, nothing to take over
    await cut(p.a!.backend);
    const gone = async () => (await t!.db.query<{ g: boolean }>(`select kiln_owner_gone('a') as g`)).rows[0]!.g;
    await until('A to look gone', gone, 20_000);
    await t!.db.query(PRUNE_GONE);
    // Three graces and more: A renews throughout, so B, looking every quarter second, never takes over.
    const both = watchForTwoLeaders(p.cloud, p.b);
    for (let i = 0; i < 12; i += 1) {
      await new Promise((r) => setTimeout(r, 250));
      expect(p.b.leading).toBe(false);
    }
    expect(both()).toBe(false);
    expect(await gone()).toBe(true); // its row kept: the lease is still its own
    expect(await t!.repos.cloudProcesses.leaseHolder()).toBe('a');
    await until('A to run the local cloud', async () => p.cloud.leading, 20_000);
  });

  it('is taken over about a grace after its holder died, not when its lease runs out, and the holder had stopped first', { timeout: 60_000 }, async () => {
    const p = await twoProcesses({ joined: true, leaseMs: 60_000 });
    if (!p) return;
    const both = watchForTwoLeaders(p.cloud, p.b);
    stallRenewals(p.repos);
    await cut(p.a!.backend);
    const diedAt = Date.now();
    await until('B to run the local cloud', async () => p.b.leading, 20_000);
    // A grace (1 s) and B's quarter-second look; the rest is a loaded machine's slack, far from the minute-long lease.
    expect(Date.now() - diedAt).toBeLessThan(10_000);
    expect(both()).toBe(false);
    expect(p.cloud.leading).toBe(false);
    expect(await t!.repos.cloudProcesses.leaseHolder()).toBe('b');
    // A's held-back renewal comes back refused: it lets go for good (and kills nothing).
    release?.();
    await until('A to give up the local cloud', async () => !p.cloud.leading, 20_000);
    expect(await t!.repos.cloudProcesses.leaseHolder()).toBe('b');
  });

  it('is taken over only when its lease runs out if its holder never joined presence, and the stalled holder stops first', { timeout: 60_000 }, async () => {
    const p = await twoProcesses({ joined: false, leaseMs: 3000 });
    if (!p) return;
    const both = watchForTwoLeaders(p.cloud, p.b);
    stallRenewals(p.repos);
    const stalledAt = Date.now();
    await until('A to stop running the local cloud', async () => !p.cloud.leading, 20_000);
    await until('B to run the local cloud', async () => p.b.leading, 20_000);
    // Never called gone, so B waited for the lease (3 s from A's last renewal, which came before the stall).
    expect(Date.now() - stalledAt).toBeGreaterThan(1000);
    expect(both()).toBe(false);
  });
});
