import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../db/client';
import { PRESENCE_LOCK_CLASS } from '../../db/migrations/310-engine-presence';
import { createRepositories } from '../../db/repositories';
import type { Database, Repositories } from '../../db/types';
import { bakeryPaths } from '../bakery/store';
import { kilnProviders } from './docker/kiln-providers';
import type { Providers } from './providers';
import type { CloudProvider } from './provider';
import { openProviderDatabase } from './test-provider-harness';
import { until } from './test-cloud';

// Two Kiln processes on one PostgreSQL, each with its providers as main.ts makes them (kilnProviders,
// named by the process's presence name), for one VM account: A runs it, B stands by. No VM is booted:
// the lease is what is under test. A's presence is a lock on a connection of its own, as signals.ts
// holds it; ending that connection from the server is what PostgreSQL sees when A is killed -9, and
// also when only that connection was cut while A runs on. A is "dead" when its renewals stop too.
// Each process has its own state dir, as on two machines (the VM file lease is per machine).
const ACCOUNT = 'vms';
const LEASE = `qemu:${ACCOUNT}`;
/** createLeadership's default: kilnProviders gives the account leases no other. */
const LEASE_MS = 15_000;

const closers: (() => Promise<unknown>)[] = [];
let release: (() => void) | undefined;
afterEach(async () => {
  release?.();
  release = undefined;
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

/** Joins as `owner` the way signals.ts does: the row and the lock in one statement, on a connection of its own. */
async function joinPresence(url: string, owner: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // ended by the test
  await client.connect();
  closers.push(() => client.end());
  const { rows } = await client.query<{ ok: boolean; backend: number }>(
    `with me as (insert into engine_processes (owner) values ($1) returning lock_key)
     select pg_try_advisory_lock(${PRESENCE_LOCK_CLASS}, lock_key) as ok, pg_backend_pid() as backend from me`,
    [owner],
  );
  expect(rows[0]!.ok).toBe(true);
  return rows[0]!.backend;
}

/** One Kiln process's providers, named `owner`, with a state dir of its own. */
function kiln(repos: Repositories, owner: string): Providers {
  const cloudDir = mkdtempSync(join(tmpdir(), 'kiln-account-take-over-'));
  const providers = kilnProviders({ repos, local: undefined, cloudDir, bakery: bakeryPaths(cloudDir), owner, log: () => undefined });
  closers.push(async () => {
    await providers.close();
    rmSync(cloudDir, { recursive: true, force: true });
  });
  return providers;
}

/** A (joined to presence) running the VM account, B (joined too) standing by. */
async function twoProcesses() {
  const opened = await openProviderDatabase({ name: ACCOUNT, provider: 'qemu' });
  closers.push(opened.close);
  const { url, db } = opened;
  if (!url) return undefined; // PGlite: one process, nothing to take over
  const presenceOfA = await joinPresence(url, 'a');
  await joinPresence(url, 'b');
  const second: Database = await createDatabase({ databaseUrl: url });
  closers.push(() => second.close());
  const reposA = opened.repos;
  const a: CloudProvider = await kiln(reposA, 'a')(ACCOUNT);
  const b: CloudProvider = await kiln(createRepositories(second), 'b')(ACCOUNT);
  expect([a.leading, b.leading]).toEqual([true, false]);
  // Held under A's presence name from its first renewal: it may be called gone.
  const { rows } = await db.query<{ owner: string; present: boolean }>(`select owner, gone_after is not null as present from local_cloud_lease where id = $1`, [LEASE]);
  expect(rows).toEqual([{ owner: 'a', present: true }]);
  const cut = () => db.query('select pg_terminate_backend($1)', [presenceOfA]);
  return { a, b, db, reposA, cut };
}

/** Samples both processes every few milliseconds until stopped: whether they ever both ran the account. */
function watchForTwoLeaders(a: CloudProvider, b: CloudProvider): () => boolean {
  let both = false;
  const timer = setInterval(() => (both ||= a.leading === true && b.leading === true), 5);
  return () => (clearInterval(timer), both);
}

const holderOf = async (db: Database) =>
  (await db.query<{ owner: string; expires: Date }>(`select owner, expires_at as expires from local_cloud_lease where id = $1`, [LEASE])).rows[0];

describe('a VM account run by a Kiln process on PostgreSQL, with another standing by', () => {
  it('is taken over about a second after its holder died, long before its lease runs out, and the holder had stopped first', { timeout: 60_000 }, async () => {
    const p = await twoProcesses();
    if (!p) return;
    const both = watchForTwoLeaders(p.a, p.b);
    // A dies: its renewals stop (held back) and its presence lock is freed.
    const real = p.reposA.cloudProcesses.holdLease;
    const gate = new Promise<void>((resolve) => (release = resolve));
    p.reposA.cloudProcesses.holdLease = (...args) => gate.then(() => real(...args));
    const last = await holderOf(p.db);
    await p.cut();
    await until('B to run the account', async () => p.b.leading, 20_000);
    expect(both()).toBe(false);
    expect(p.a.leading).toBe(false);
    // By the database's clock: B's lease is as long as A's, so the difference of their ends says how long
    // before A's lease ran out B held it (B's latest renewal, at or after its take-over). About 14 s (a grace
    // and a look); more than 5 s leaves a loaded machine room, and a take-over at the lease's end none.
    const taken = await holderOf(p.db);
    expect(taken?.owner).toBe('b');
    expect(last!.expires.getTime() - (taken!.expires.getTime() - LEASE_MS)).toBeGreaterThan(5000);
    // A's held-back renewal comes back refused: it lets go for good.
    release?.();
    await until('A to give up the account', async () => p.a.leading === false, 20_000);
    expect((await holderOf(p.db))?.owner).toBe('b');
  });

  it('is kept by a live holder whose presence connection was cut', { timeout: 60_000 }, async () => {
    const p = await twoProcesses();
    if (!p) return;
    await p.cut();
    await until('A to look gone', async () => (await p.db.query<{ g: boolean }>(`select kiln_owner_gone('a') as g`)).rows[0]!.g, 20_000);
    // Three graces and more: A renews throughout, so B, looking every quarter second, never takes over.
    const both = watchForTwoLeaders(p.a, p.b);
    for (let i = 0; i < 12; i += 1) {
      await new Promise((r) => setTimeout(r, 250));
      expect(p.b.leading).toBe(false);
    }
    expect(both()).toBe(false);
    expect((await holderOf(p.db))?.owner).toBe('a');
    await until('A to run the account', async () => p.a.leading, 20_000);
  });
});
