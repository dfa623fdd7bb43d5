import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { openTestDatabase } from '../../db/test-database';
import { createOwners, createTestRunner } from '../../db/test-builders';
import type { Repositories } from '../../db/types';
import { isAlive } from './instance-process';
import { createLocalCloud, type LocalCloud, type LocalCloudOptions } from './local';

/** Fast timings so tests heal in seconds; readiness waits stay generous for a loaded machine. */
export const FAST = { readyTimeoutMs: 20_000, healthIntervalMs: 250, unhealthyThreshold: 2, healthTimeoutMs: 2000, goneLingerMs: 500 };

// Each vitest worker has its own block of 2,000 ports (VITEST_POOL_ID is unique among the workers
// running at once), and each cloud of a file the next 40 of it: slices derived from the pid could
// overlap another worker's, whose instances then raced this one's for the same port.
const BLOCK = 2000;
const blockStart = 23000 + ((Number(process.env.VITEST_POOL_ID ?? process.pid) - 1) % 4) * BLOCK;
let portBase = blockStart;

/** A local cloud on a throwaway database (owners `shop`/`web`, accounts staging and prod in east/west). */
export async function openTestCloud(options: Partial<LocalCloudOptions> = {}) {
  const { db, repos, close: closeDb, url } = await openTestDatabase();
  await createOwners(repos);
  await createTestRunner(repos);
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-cloud-test-'));
  // Each cloud in a test run gets its own slice of ports, so parallel files never share one.
  const ports = { from: portBase, to: portBase + 39 };
  portBase = portBase + 40 + 40 > blockStart + BLOCK ? blockStart : portBase + 40;
  const make = (extra: Partial<LocalCloudOptions> = {}) => createLocalCloud({ repos, dataDir, ports, timings: FAST, drainTimeoutMs: 5000, ...options, ...extra });
  const cloud = make();
  await cloud.start();
  const pids = new Set<number>();
  let closed = false;
  return {
    db,
    repos,
    /** On PostgreSQL, the database's URL (a second process's connection pool). */
    url,
    cloud,
    dataDir,
    make,
    /** Remembers every pid seen, so close() can prove none is left. */
    track: (c: LocalCloud = cloud) => [...c.pids(), ...c.balancerPids()].forEach((p) => pids.add(p)),
    /** Closes the cloud (and `others` made on its data); a second close has nothing left to do. */
    async close(...others: LocalCloud[]) {
      if (closed) return [];
      closed = true;
      for (const c of [cloud, ...others]) {
        [...c.pids(), ...c.balancerPids()].forEach((p) => pids.add(p));
        await c.close();
      }
      const left = [...pids].filter(isAlive);
      await closeDb();
      rmSync(dataDir, { recursive: true, force: true });
      return left;
    },
  };
}

export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function upCount(repos: Repositories, key: { account: string; region: string; name: string }): Promise<number> {
  const sg = await repos.serverGroups.get(key);
  return sg?.instances.filter((i) => i.health === 'up' || i.health === 'out_of_service').length ?? 0;
}

export type TestCloud = Awaited<ReturnType<typeof openTestCloud>>;

/**
 * For a test file: opens a test cloud per test and closes it after the test, which then fails if an
 * instance or balancer process outlived the cloud.
 */
export function useTestCloud(): (options?: Partial<LocalCloudOptions>) => Promise<TestCloud> {
  let t: TestCloud | undefined;
  afterEach(async () => {
    const left = await t?.close();
    t = undefined;
    expect(left ?? []).toEqual([]);
  });
  return async (options = {}) => (t = await openTestCloud(options));
}
