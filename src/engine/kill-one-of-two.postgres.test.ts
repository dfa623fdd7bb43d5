import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../shared/domain/pipeline';
import { openTestDatabase } from '../db/test-database';
import { createOwners } from '../db/test-builders';
import type { Database, Repositories } from '../db/types';
import { createEventBus } from './events/event-bus';
import { createEngine } from './index';
import { jobMarks, MARK_RUN } from './test-job-marks';
import { stopChildren } from './test-children';

// Two real Kiln engine processes on one PostgreSQL; one is killed with SIGKILL mid-run, jobs and
// all. Every job marks its run in its own directory (test-job-marks.ts): each must appear exactly once, and every
// execution must end SUCCEEDED — the survivor adopts the dead process's jobs instead of failing them,
// within a moment of the kill, not when the dead process's leases run out.
const root = resolve(import.meta.dirname, '../..');
let repos: Repositories;
let db: Database;
let close: () => Promise<void>;
let url: string | undefined;
const children: ChildProcess[] = [];
const roots: string[] = [];

beforeEach(async () => {
  ({ db, repos, close, url } = await openTestDatabase());
  await createOwners(repos);
}, 60_000);
afterEach(async () => {
  await stopChildren(children, 10_000);
  await close();
}, 60_000);

async function engineProcess(owner: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/engine/bench/engine-process.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      KILN_OWNER: owner,
      KILN_JOBS_ROOT: roots[roots.push(mkdtempSync(join(tmpdir(), `kiln-jobs-${owner}-`))) - 1],
      KILN_LEASE_MS: '60000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ok());
    child.once('exit', () => fail(new Error(`engine ${owner} exited before it was ready`)));
  });
  return child;
}

describe('two Kiln processes on one PostgreSQL, one killed -9 mid-run', () => {
  it('completes every execution, and runs every job exactly once', { timeout: 240_000 }, async () => {
    const [a, b] = await Promise.all([engineProcess('a'), engineProcess('b')]);
    const stages: unknown[] = Array.from({ length: 30 }, (_, i) => ({
      refId: `s${i}`,
      type: 'evaluateVariables',
      name: `Step ${i}`,
      requisiteStageRefIds: i === 0 ? [] : [`s${i - 1}`],
      config: { variables: [{ key: 'i', value: String(i) }] },
    }));
    for (let j = 0; j < 8; j += 1) {
      stages.push({ refId: `j${j}`, type: 'runJob', name: `Job ${j}`, requisiteStageRefIds: ['s29'], config: { command: `sleep 2; ${MARK_RUN}` } });
    }
    const p = await repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'kill', stages, concurrency: { limitConcurrent: false } }), 'ana');
    // This process only creates executions: a stopped engine starts none itself.
    const starter = createEngine({ repos, events: createEventBus(repos), owner: 'starter' });
    await starter.stop();
    const ids: string[] = [];
    for (let n = 0; n < 10; n += 1) ids.push((await starter.start(p, { type: 'manual', user: 'ana', parameters: {} })).id);

    // Kill A once it has jobs running.
    const runningInA = async () => Number((await db.query<{ n: string }>(`select count(*) as n from job_runs where owner = 'a' and ended_at is null`)).rows[0]?.n ?? 0);
    for (let i = 0; i < 600 && (await runningInA()) === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
    // A dies with jobs running (on a loaded machine B may already have finished some of its own).
    expect(await runningInA()).toBeGreaterThan(0);
    a.kill('SIGKILL');
    await new Promise((r) => a.once('exit', r));
    // Its leases (60 s here) have not run out: the survivor takes its executions and jobs over because
    // PostgreSQL ended A's connection, which released A's presence lock.
    const killedAt = Date.now();
    const stillA = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            `select (select count(*) from executions where lease_owner = 'a' and status in ('NOT_STARTED', 'RUNNING'))
                  + (select count(*) from job_runs where owner = 'a' and ended_at is null) as n`,
          )
        ).rows[0]?.n ?? 0,
      );
    while ((await stillA()) > 0 && Date.now() - killedAt < 30_000) await new Promise((r) => setTimeout(r, 50));
    expect(await stillA()).toBe(0);
    // Well under the lease even on a loaded 2-core machine (the bench prints the time: about 1 s).
    expect(Date.now() - killedAt).toBeLessThan(20_000);

    const end = Date.now() + 180_000;
    let done = await Promise.all(ids.map(async (id) => (await repos.executions.get(id))!));
    while (done.some((e) => !['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(e.status)) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      done = await Promise.all(ids.map(async (id) => (await repos.executions.get(id))!));
    }
    const problems = done.flatMap((e) => e.stages.filter((s) => s.status !== 'SUCCEEDED').map((s) => `${s.refId} ${s.status}: ${s.error ?? ''}`));
    expect(problems).toEqual([]);
    const lines = jobMarks(roots);
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines).toHaveLength(ids.length * 8);
    // A had launched jobs when it was killed, and B adopted them (no job was started again).
    const launchedByA = done.flatMap((e) => e.stages.filter((s) => s.context.launchedBy === 'a').map((s) => ({ executionId: e.id, refId: s.refId, attempt: s.attempt })));
    const adopted = (await Promise.all(launchedByA.map((k) => repos.jobRuns.get(k)))).filter((r) => r?.owner === 'b');
    expect(adopted.length).toBeGreaterThan(0);
    expect(b.exitCode).toBeNull(); // the survivor did it
  });
});
