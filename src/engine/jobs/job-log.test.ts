import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import type { Execution } from '../../shared/domain/execution';
import type { KilnEvent } from '../../shared/api/events';
import { openTestDatabase } from '../../db/test-database';
import { createOwners } from '../../db/test-builders';
import type { Repositories } from '../../db/types';
import { createEventBus, type EventBus } from '../events/event-bus';
import { createEngine, type Engine } from '../index';

// How a job's output reaches the log and the live stream: in order, whole, in few batches when it
// floods, and at once when it prints a line alone.
let repos: Repositories;
let close: () => Promise<void>;
let bus: EventBus;
let engine: Engine;

beforeEach(async () => {
  ({ repos, close } = await openTestDatabase());
  await createOwners(repos);
  bus = createEventBus(repos);
  const clock = new Date('2026-11-23T10:00:00.000Z');
  engine = createEngine({
    repos,
    events: bus,
    now: () => clock,
    owner: 'a',
    jobsRoot: mkdtempSync(join(tmpdir(), 'kiln-jobs-test-')),
  });
});
afterEach(async () => {
  await engine.killJobs();
  await engine.stop();
  await close();
});

const run = async (command: string): Promise<string> => {
  const p = await repos.pipelines.create(
    PipelineDraft.parse({
      application: 'web',
      name: `p-${Math.random()}`,
      stages: [{ refId: 'job', type: 'runJob', name: 'Job', config: { command } }],
    }),
    'ana',
  );
  return (await engine.start(p, { type: 'manual', user: 'ana', parameters: {} })).id;
};
async function until(id: string, done: (e: Execution) => boolean, ms = 60_000): Promise<Execution> {
  const end = Date.now() + ms;
  for (;;) {
    const e = (await repos.executions.get(id))!;
    if (done(e)) return e;
    if (Date.now() > end) throw new Error(`execution stayed ${e.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const logLines = (events: KilnEvent[]) => events.flatMap((e) => (e.type === 'log.lines' ? e.data.lines : []));

describe('job output', { timeout: 90_000 }, () => {
  it('a flood of lines is stored and sent whole and in order, in a few large batches, up to the last line', async () => {
    const sent: KilnEvent[] = [];
    bus.subscribe({}, (e) => e.type === 'log.lines' && sent.push(e));
    // 30,000 lines (~250 KB) as fast as the shell prints them; the last one has no newline.
    const id = await run(`seq 1 29999; printf 30000`);
    const done = await until(id, (e) => e.status === 'SUCCEEDED' || e.status === 'TERMINAL');
    expect(done.status).toBe('SUCCEEDED');
    const expected = Array.from({ length: 30_000 }, (_, i) => String(i + 1));
    const stored = await repos.executionLogs.read(id, {
      after: 0,
      limit: 40_000,
    });
    expect(stored.map((l) => l.line)).toEqual(expected);
    expect(stored.map((l) => l.seq)).toEqual(expected.map((_, i) => i + 1));
    // The live stream carried the same lines in the same order, nothing twice.
    expect(logLines(sent)).toEqual(expected);
    // Batched by size, not by 500 lines: a handful of chunks and events rather than 60 of each.
    expect(sent.length).toBeLessThan(20);
  });

  it('a line printed alone is sent on its own while the job still runs, not held for a batch or the end', async () => {
    const sent: KilnEvent[] = [];
    const id = await run('echo ready; sleep 4; echo done');
    bus.subscribe({ executionId: id }, (e) => e.type === 'log.lines' && sent.push(e));
    await until(id, (e) => e.status === 'SUCCEEDED' || e.status === 'TERMINAL');
    // 'ready' went out in an event of its own, four seconds before 'done' was printed.
    expect(sent.map((e) => (e.type === 'log.lines' ? e.data.lines : []))).toEqual([['ready'], ['done']]);
  });
});
