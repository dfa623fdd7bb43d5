import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTwoDatabases } from './test-two-databases';
import { PipelineDraft, type Pipeline } from '../shared/domain/pipeline';
import type { Repositories } from '../db/types';
import { createEventBus } from './events/event-bus';
import { createEngine } from './index';
import { jobMarks, MARK_RUN } from './test-job-marks';

// Two Kiln engines on one database (on PostgreSQL: two connection pools, truly concurrent), with
// leases so short that they run out mid-advance: each engine's stage writes and lease renewals are
// slowed at random, so executions change hands while being advanced. Every job marks its run in its
// own directory (test-job-marks.ts); a job started twice shows up as a second line.
const env = useTwoDatabases();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The engine's own repositories with stage writes and renewals made slow at random (a busy process). */
function slowed(base: Repositories, refused: { count: number }): Repositories {
  const executions = base.executions;
  return {
    ...base,
    executions: {
      ...executions,
      updateStage: async (...args) => {
        await sleep(Math.random() * 25);
        const ok = await executions.updateStage(...args);
        if (!ok && args[3]?.lease) refused.count += 1;
        return ok;
      },
      renew: async (...args) => {
        await sleep(Math.random() * 120);
        return executions.renew(...args);
      },
    },
  };
}

async function pipelineOf(chain: number, jobs: number): Promise<Pipeline> {
  const stages: unknown[] = Array.from({ length: chain }, (_, i) => ({
    refId: `s${i}`,
    type: 'evaluateVariables',
    name: `Step ${i}`,
    requisiteStageRefIds: i === 0 ? [] : [`s${i - 1}`],
    config: { variables: [{ key: 'i', value: String(i) }] },
  }));
  for (let j = 0; j < jobs; j += 1) {
    stages.push({
      refId: `j${j}`,
      type: 'runJob',
      name: `Job ${j}`,
      requisiteStageRefIds: [`s${chain - 1}`],
      config: { command: `${MARK_RUN}; sleep 0.2` },
    });
  }
  return env.repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: `two-${Math.random()}`, stages, concurrency: { limitConcurrent: false } }), 'ana');
}

async function untilEnded(ids: string[], ms: number) {
  const end = Date.now() + ms;
  for (;;) {
    const all = await Promise.all(ids.map((id) => env.repos.executions.get(id)));
    if (all.every((e) => e && ['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(e.status))) return all.map((e) => e!);
    if (Date.now() > end) throw new Error(`still running: ${all.filter((e) => e && !['SUCCEEDED', 'TERMINAL'].includes(e.status)).length} of ${ids.length}`);
    await sleep(100);
  }
}

describe('two engines on one database with leases that run out mid-advance', () => {
  it('runs every job exactly once and completes every execution', { timeout: 240_000 }, async () => {
    const roots: string[] = [];
    const refused = { count: 0 };
    const make = (owner: string, db: Repositories) => {
      const e = createEngine({
        repos: slowed(db, refused),
        events: createEventBus(db),
        owner,
        leaseMs: 80,
        tickMs: 20,
        jobsRoot: roots[roots.push(mkdtempSync(join(tmpdir(), `kiln-jobs-${owner}-`))) - 1]!,
      });
      env.track(e);
      return e;
    };
    const a = make('a', env.repos);
    const b = make('b', env.other());
    const p = await pipelineOf(40, 10);
    const ids: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      for (let n = 0; n < 4; n += 1) ids.push((await (n % 2 ? a : b).start(p, { type: 'manual', user: 'ana', parameters: {} })).id);
      a.run();
      b.run();
      await untilEnded(ids, 180_000);
    }
    const done = await untilEnded(ids, 1000);
    const lines = jobMarks(roots);
    const counts = new Map<string, number>();
    for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
    expect(twice).toEqual([]);
    const problems = done.flatMap((e) => e.stages.filter((s) => s.status !== 'SUCCEEDED').map((s) => `${s.refId} ${s.status}: ${s.error ?? ''}`));
    expect(problems).toEqual([]);
    expect(done.map((e) => e.status)).toEqual(ids.map(() => 'SUCCEEDED'));
    expect(lines).toHaveLength(ids.length * 10);
    // The leases did run out under the advances: writes of the process that lost one were refused.
    expect(refused.count).toBeGreaterThan(0);
  });
});
