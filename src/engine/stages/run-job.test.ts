import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import type { Execution } from '../../shared/domain/execution';
import { openTestDatabase } from '../../db/test-database';
import { createOwners } from '../../db/test-builders';
import type { Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine, type Engine } from '../index';
import { person } from '../test-engine';

let repos: Repositories;
let close: () => Promise<void>;
let clock: Date;
const engines: Engine[] = [];

beforeEach(async () => {
  ({ repos, close } = await openTestDatabase());
  await createOwners(repos);
  clock = new Date('2026-11-23T10:00:00.000Z');
});
afterEach(async () => {
  for (const e of engines.splice(0)) {
    await e.killJobs();
    await e.stop();
  }
  await close();
});

const engine = (owner = 'a') => {
  const e = createEngine({ repos, events: createEventBus(repos), now: () => clock, owner, jobsRoot: mkdtempSync(join(tmpdir(), 'kiln-jobs-test-')) });
  engines.push(e);
  return e;
};
const run = async (e: Engine, config: Record<string, unknown>, name = 'Job'): Promise<string> => {
  const p = await repos.pipelines.create(
    PipelineDraft.parse({ application: 'web', name: `p-${name}-${Math.random()}`, stages: [{ refId: 'job', type: 'runJob', name, config }] }),
    'ana',
  );
  return (await e.start(p, { type: 'manual', user: 'ana', parameters: {} })).id;
};
async function until(id: string, done: (e: Execution) => boolean, ms = 15_000): Promise<Execution> {
  const end = Date.now() + ms;
  for (;;) {
    const e = (await repos.executions.get(id))!;
    if (done(e)) return e;
    if (Date.now() > end) throw new Error(`execution stayed ${e.status}/${e.stages[0]?.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const finished = (e: Execution) => ['SUCCEEDED', 'TERMINAL'].includes(e.status);

describe('runJob', { timeout: 20_000 }, () => {
  it('runs the command, stores stdout and stderr line by line in order, and succeeds on exit 0', async () => {
    const e = engine();
    const id = await run(e, { command: 'echo one; echo two; printf "three\\nfour"; echo " ${KILN_STAGE}"; echo oops >&2' });
    const done = await until(id, finished);
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stages[0]!.outputs).toEqual({ exitCode: 0 });
    const lines = await repos.executionLogs.read(id, { after: 0, limit: 100 });
    // stdout keeps its order; stderr is another pipe, so where its line lands among them may vary.
    expect(lines.map((l) => l.line).filter((l) => l !== 'oops')).toEqual(['one', 'two', 'three', 'four job']);
    expect(lines.map((l) => l.line)).toContain('oops');
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5]);
    const events = await repos.events.after(0, { executionId: id }, 100);
    expect(events.filter((ev) => ev.type === 'log.lines').flatMap((ev) => (ev.data as { lines: string[] }).lines)).toEqual(lines.map((l) => l.line));
  });

  it('publishes ::kiln-output name=value:: lines as outputs a later stage reads', async () => {
    const e = engine();
    const p = await repos.pipelines.create(
      PipelineDraft.parse({
        application: 'web',
        name: `p-outputs-${Math.random()}`,
        stages: [
          {
            refId: 'build',
            type: 'runJob',
            name: 'Build',
            config: { command: 'echo building; echo "::kiln-output version=1.4.2::"; echo \'::kiln-output meta={"sha":"abc"}::\'; echo "::kiln-output version=1.4.3::"' },
          },
          {
            refId: 'use',
            type: 'evaluateVariables',
            name: 'Use',
            requisiteStageRefIds: ['build'],
            config: { variables: [{ key: 'tag', value: "v${ stages['Build'].outputs.version }-${ fromJson(stages['Build'].outputs.meta).sha }" }] },
          },
        ],
      }),
      'ana',
    );
    const id = (await e.start(p, { type: 'manual', user: 'ana', parameters: {} })).id;
    const done = await until(id, finished);
    expect(done.stages[0]!.outputs).toEqual({ exitCode: 0, version: '1.4.3', meta: '{"sha":"abc"}' });
    expect(done.stages[1]!.outputs).toEqual({ tag: 'v1.4.3-abc' });
  });

  it('fails with the exit code unless it is listed as success', async () => {
    const e = engine();
    const failed = await until(await run(e, { command: 'exit 3' }), finished);
    expect(failed.stages[0]).toMatchObject({ status: 'TERMINAL', error: 'the job exited with code 3 (success: 0)' });
    const ok = await until(await run(e, { command: 'exit 3', successExitCodes: [0, 3] }, 'Lenient'), finished);
    expect(ok.status).toBe('SUCCEEDED');
  });

  it('kills the whole process group on timeout, leaving no orphan', async () => {
    const e = engine();
    // A marker no other process has: the job's pids are its own namespace's, so the host is searched by command line.
    const marker = `60.${Date.now() % 100000}${Math.floor(Math.random() * 1000)}`;
    const id = await run(e, { command: `sleep ${marker} & wait`, timeoutSec: 1 });
    const done = await until(id, finished);
    expect(done.stages[0]!.error).toBe('timed out after 1 s; the job was killed');
    // Gone, or a zombie waiting for this machine's init to reap it: either way not running.
    const alive = readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${marker}\0` && readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
        } catch {
          return false;
        }
      });
    expect(alive).toEqual([]);
    const lines = (await repos.executionLogs.read(id, { after: 0, limit: 10 })).map((l) => l.line);
    expect(lines).toContain('[kiln] timed out after 1 s: stopping the job');
  });

  it("passes the stage's variables and none of Kiln's own environment", async () => {
    process.env.KILN_SECRET_FOR_TEST = 'leak';
    try {
      const e = engine();
      const id = await run(e, { command: 'echo "[$KILN_SECRET_FOR_TEST][$GREETING]"', env: { GREETING: 'hi ${ trigger.user }' } });
      await until(id, finished);
      expect((await repos.executionLogs.read(id, { after: 0, limit: 10 })).map((l) => l.line)).toEqual(['[][hi ana]']);
    } finally {
      delete process.env.KILN_SECRET_FOR_TEST;
    }
  });

  it('runs a workingDir as a folder of its own directory, made when missing, never a host path', async () => {
    const jobsRoot = mkdtempSync(join(tmpdir(), 'kiln-jobs-test-'));
    const e = createEngine({ repos, events: createEventBus(repos), now: () => clock, owner: 'wd', jobsRoot });
    engines.push(e);
    const id = await run(e, { command: 'pwd; touch here', workingDir: '/etc/kiln-dir' });
    const done = await until(id, finished);
    expect(done.status).toBe('SUCCEEDED');
    const own = join(realpathSync(jobsRoot), id, 'job', 'etc', 'kiln-dir');
    expect((await repos.executionLogs.read(id, { after: 0, limit: 10 })).map((l) => l.line)).toEqual([own]);
    expect(existsSync(join(own, 'here'))).toBe(true);
    expect(existsSync('/etc/kiln-dir')).toBe(false);
  });

  it('fails clearly for a missing working directory when jobs run unsandboxed (KILN_JOB_SANDBOX=off)', async () => {
    const e = createEngine({
      repos,
      events: createEventBus(repos),
      now: () => clock,
      owner: 'off',
      jobsRoot: mkdtempSync(join(tmpdir(), 'kiln-jobs-test-')),
      jobSandbox: { mode: 'off' },
    });
    engines.push(e);
    const done = await until(await run(e, { command: 'true', workingDir: '/nonexistent/kiln-dir' }), finished);
    expect(done.stages[0]!.error).toBe('workingDir /nonexistent/kiln-dir does not exist');
  });

  it('never runs a job twice: a job whose process died is failed as interrupted by the next owner', async () => {
    const a = engine('process-a');
    const id = await run(a, { command: 'sleep 30' });
    await until(id, (x) => x.stages[0]!.context.launchedBy === 'process-a');
    await a.stop();
    await a.killJobs();
    // Process A is gone (its in-memory job with it); its lease and heartbeat go stale.
    clock = new Date(clock.getTime() + 60_000);
    const b = engine('process-b');
    // B keeps ticking, as a running Kiln does: A's dying job may still touch the execution after B's first look.
    b.run();
    const done = await until(id, finished);
    expect(done.stages[0]!.error).toMatch(/^the Kiln process running this job \(process-a\) stopped while it ran; it was not run again/);
  });
});

describe('runJob restarted', { timeout: 30_000 }, () => {
  it('restarting a failed job runs it again as a new attempt, with its own run and result', async () => {
    // The job counts its runs in its own directory (the sandbox lets it write nowhere else).
    const jobsRoot = mkdtempSync(join(tmpdir(), 'kiln-jobs-test-'));
    const e = createEngine({ repos, events: createEventBus(repos), now: () => clock, owner: 'restart', jobsRoot });
    engines.push(e);
    const id = await run(e, { command: 'echo run >> runs; test -f ok' });
    const dir = join(realpathSync(jobsRoot), id, 'job');
    const failed = await until(id, finished);
    expect(failed.stages[0]).toMatchObject({ status: 'TERMINAL', error: 'the job exited with code 1 (success: 0)', attempt: 1 });
    writeFileSync(join(dir, 'ok'), '');
    await e.restartStage(id, 'job', 'ana', person('ana'));
    const done = await until(id, finished);
    expect(done.stages[0]).toMatchObject({ status: 'SUCCEEDED', outputs: { exitCode: 0 }, attempt: 2 });
    expect(readFileSync(join(dir, 'runs'), 'utf8')).toBe('run\nrun\n');
    const log = (await repos.executionLogs.read(id, { after: 0, limit: 10 })).map((l) => l.line);
    expect(log).toEqual(['[kiln] attempt 2: the stage was restarted and runs the job again']);
  });

  it('refuses to restart while the last copy of the job is still alive, so two never run at once', async () => {
    // Unsandboxed: inside the sandbox a TERM ends bwrap and with it the whole job at once, however
    // the job traps it — here the job must outlive its timed-out stage until the KILL.
    const jobsRoot = mkdtempSync(join(tmpdir(), 'kiln-jobs-test-'));
    const e = createEngine({ repos, events: createEventBus(repos), now: () => clock, owner: 'stubborn', jobsRoot, jobSandbox: { mode: 'off' } });
    engines.push(e);
    const p = await repos.pipelines.create(
      PipelineDraft.parse({
        application: 'web',
        name: `stubborn-${Math.random()}`,
        // Ignores TERM, so it outlives its timed-out stage until the KILL five seconds later.
        stages: [{ refId: 'job', type: 'runJob', name: 'Stubborn', timeoutSec: 1, config: { command: 'trap "" TERM; echo $$ > pid; sleep 30' } }],
      }),
      'ana',
    );
    const id = (await e.start(p, { type: 'manual', user: 'ana', parameters: {} })).id;
    const dir = join(realpathSync(jobsRoot), id, 'job');
    await until(id, () => existsSync(join(dir, 'pid')));
    clock = new Date(clock.getTime() + 2000);
    await e.tick();
    expect((await repos.executions.get(id))!.stages[0]!.status).toBe('TERMINAL');
    await expect(e.restartStage(id, 'job', 'ana', person('ana'))).rejects.toThrow(/The job of stage 'Stubborn' is still running \(process group \d+ on this host\)/);
    expect((await repos.executions.get(id))!.stages[0]!).toMatchObject({ status: 'TERMINAL', attempt: 1 });
  });
});

describe('runJob stopped from outside', { timeout: 20_000 }, () => {
  const logText = async (id: string) => (await repos.executionLogs.read(id, { after: 0, limit: 100 })).map((l) => l.line).join('\n');

  it('kills the job at once when a person cancels the execution, and says so in the log', async () => {
    const e = engine();
    const id = await run(e, { command: 'echo started; sleep 30; echo never' });
    await until(id, (x) => x.stages[0]!.status === 'RUNNING');
    await new Promise((r) => setTimeout(r, 300)); // the job is spawned and has printed
    await e.cancel(id, 'bo', 'wrong branch');
    const started = Date.now();
    for (;;) {
      if ((await logText(id)).includes('[kiln] canceled by bo: stopping the job')) break;
      if (Date.now() - started > 5000) throw new Error(`no stop line: ${await logText(id)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await logText(id)).not.toContain('never');
  });

  it('stops a job whose stage another process ended (the job watches its stage)', async () => {
    const e = engine();
    const id = await run(e, { command: 'echo started; sleep 30' });
    await until(id, (x) => x.stages[0]!.status === 'RUNNING');
    // The stage is RUNNING a moment before its job is: wait for the job's first line.
    for (const end = Date.now() + 8000; !(await logText(id)).includes('started'); ) {
      if (Date.now() > end) throw new Error('the job never started');
      await new Promise((r) => setTimeout(r, 50));
    }
    // Another Kiln process's cancel: only the database changes, this process's runner is not told.
    await repos.executions.updateStage(id, 'job', { status: 'CANCELED', error: 'canceled elsewhere' });
    const started = Date.now();
    for (;;) {
      if ((await logText(id)).includes('[kiln] the stage is CANCELED: stopping the job')) break;
      if (Date.now() - started > 8000) throw new Error(`no stop line: ${await logText(id)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await logText(id)).toContain('[kiln] the stage is CANCELED: stopping the job');
  });
});
