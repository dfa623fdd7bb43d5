import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { createEventBus } from '../events/event-bus';
import { createEngine, type Engine } from '../index';
import type { DockerProvider } from '../cloud/docker/docker-provider';
import { createProviders } from '../cloud/providers';
import { deployEngine } from '../cloud/test-deploys';
import { until } from '../cloud/test-cloud';
import { openDockerHarness, SKIP_REASON, TEST_DOCKER_HOST, type DockerHarness } from '../cloud/docker/docker-harness';

// Run-job stages as containers against a real engine (with-podman.sh): the job image is the
// sample app's OCI archive (a Kiln image, `sample-app:<version>`), which also holds /bin/sh and sleep.
let h: DockerHarness | undefined;
let stopEngine: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopEngine?.();
  stopEngine = undefined;
  const left = await h?.close();
  h = undefined;
  // No container of a job outlives it: finished, failed, canceled or timed out.
  expect(left ?? []).toEqual([]);
});

async function open() {
  h = await openDockerHarness();
  const harness = h;
  const run = deployEngine(harness.repos, createProviders(harness.repos, undefined, { docker: () => harness.provider }));
  stopEngine = () => run.engine.stop();
  const logOf = async (id: string) => (await harness.repos.executionLogs.read(id, { refId: 's', after: 0, limit: 1000 })).map((l) => l.line);
  return { h: harness, run, logOf };
}

const job = (command: string, extra: Record<string, unknown> = {}) => ({ account: 'containers', image: 'sample-app:v1', command, ...extra });

describe.skipIf(!TEST_DOCKER_HOST)(`run-job stages as containers (${TEST_DOCKER_HOST ? 'Podman' : SKIP_REASON})`, { timeout: 180_000 }, () => {
  it("runs the command in the image on the account: stdout and stderr in the stage's log, outputs published, the container removed", async () => {
    const { run, logOf } = await open();
    const done = await run.run(
      'runJob',
      job('echo "hello from $WHO"; echo "to stderr" >&2; echo "::kiln-output answer=42::"; pwd', { env: { WHO: 'a container' }, workingDir: 'tmp' }),
      120_000,
    );
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stages[0]!.outputs).toMatchObject({ answer: '42', exitCode: 0 });
    const log = await logOf(done.id);
    expect(log).toEqual(expect.arrayContaining(['hello from a container', 'to stderr', '/tmp']));
    expect(log[0]).toMatch(/^started container [0-9a-f]{12} of sample-app:v1 on account 'containers'$/);
  });

  it('fails with the exit code when the command fails, and with the image named when the image cannot be had', async () => {
    const { run, h } = await open();
    const failed = await run.run('runJob', job('echo failing; exit 3'), 120_000);
    expect(failed.status).toBe('TERMINAL');
    expect(failed.stages[0]!.error).toBe('the job exited with code 3 (success: 0)');
    expect(await h.containers()).toEqual([]);
    // An exit code the stage counts as success.
    const tolerated = await run.run('runJob', job('exit 3', { successExitCodes: [0, 3] }), 120_000);
    expect(tolerated.status).toBe('SUCCEEDED');
    const unknown = await run.run('runJob', job('echo never', { image: 'kiln-no-such-image:v1' }), 120_000);
    expect(unknown.status).toBe('TERMINAL');
    expect(unknown.stages[0]!.error).toMatch(/^account 'containers': image 'kiln-no-such-image:v1' is neither a Kiln image nor one the engine could pull: ./);
    expect(await h.containers()).toEqual([]);
  });

  it("keeps a job's container running when another provider takes the account over (a Kiln restart), which then reads its exit", async () => {
    const { h } = await open();
    const lines: string[] = [];
    const key = { executionId: '00000000-0000-4000-8000-000000000001', refId: 's', attempt: 1 };
    const id = await h.provider.jobs.start(
      { ...key, application: 'web', image: 'sample-app:v1', command: 'sleep 2; echo done; exit 4', env: {} },
      async (l) => void lines.push(...l),
    );
    const next = await h.restart();
    expect(await next.jobs.find(key)).toBe(id);
    const ended = await until('the job to end', async () => {
      const s = await next.jobs.state(id, async () => {});
      return s && !s.running && s;
    });
    expect(ended).toEqual({ running: false, exitCode: 4, oomKilled: false });
    await next.jobs.remove(id);
  });

  it('kills and removes the container when the run is canceled, and when the job times out', async () => {
    const { run, h, logOf } = await open();
    const id = await run.start('runJob', job('echo started; sleep 600'));
    await until('the job to print', async () => (await logOf(id)).includes('started'), 60_000);
    expect((await h.docker.listContainers({ filters: { label: ['kiln.job'] } })).length).toBe(1);
    await run.engine.cancel(id, 'ana', 'enough');
    await until('the container to go', async () => (await h.containers()).length === 0, 30_000);

    const timedOut = await run.run('runJob', job('sleep 600', { timeoutSec: 2 }), 120_000);
    expect(timedOut.status).toBe('TERMINAL');
    expect(timedOut.stages[0]!.error).toBe('timed out after 2 s; the container was killed');
  });

  it('stores every line of a job taken over from a dead Kiln once, the ones printed while nobody followed included', async () => {
    // Two Kiln processes on one database, each with its own engine and its own provider for the account.
    h = await openDockerHarness({ leaseMs: 1500, owner: 'kiln-a' });
    const harness = h;
    const engines: Engine[] = [];
    stopEngine = async () => {
      for (const e of engines) await e.stop();
    };
    const engineOn = (owner: string, provider: () => DockerProvider) => {
      const e = createEngine({
        repos: harness.repos,
        events: createEventBus(harness.repos),
        cloud: createProviders(harness.repos, undefined, { docker: provider }),
        owner,
        tickMs: 100,
        jobsRoot: mkdtempSync(join(tmpdir(), `kiln-jobs-${owner}-`)),
      });
      e.run();
      engines.push(e);
      return e;
    };
    const logOf = async (id: string) => (await harness.repos.executionLogs.read(id, { refId: 's', after: 0, limit: 1000 })).map((l) => l.line);
    const numbers = (lines: string[]) => lines.filter((l) => /^line \d+$/.test(l)).map((l) => Number(l.slice('line '.length)));
    const count = 80;
    const pipeline = await harness.repos.pipelines.create(
      PipelineDraft.parse({
        application: 'web',
        name: 'counting',
        stages: [{ refId: 's', type: 'runJob', name: 'Count', config: job(`i=1; while [ $i -le ${count} ]; do echo "line $i"; i=$((i+1)); sleep 0.1; done`) }],
      }),
      'ana',
    );
    const a = engineOn('kiln-a', () => harness.provider);
    const { id } = await a.start(pipeline, { type: 'manual', user: 'ana', parameters: {} });
    await until('A to store line 10', async () => numbers(await logOf(id)).includes(10), 60_000);

    // Kiln A dies: its engine stops, its provider lets go of the account and stops reading the log.
    await a.stop();
    await harness.provider.detach();
    const storedByA = numbers(await logOf(id)).length;
    const containerId = (await harness.repos.executions.get(id))!.stages[0]!.context.containerId as string;
    // The job prints on while no Kiln follows it.
    await until('10 lines printed while nobody followed', async () => {
      const printed = ((await harness.docker.getContainer(containerId).logs({ stdout: true })) as Buffer).toString().match(/line \d+/g) ?? [];
      return printed.length >= storedByA + 10;
    });

    // Kiln B never used the account: its provider is made when B takes the waiting job (and with it the account's lease).
    engineOn('kiln-b', () => harness.unstarted({ leaseMs: 1500, owner: 'kiln-b' }));
    const done = await until(
      'B to finish the run',
      async () => {
        const e = await harness.repos.executions.get(id);
        return e && e.status !== 'RUNNING' && e;
      },
      120_000,
    );
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    // Every number exactly once, in order: none lost between A's death and B's takeover, none twice.
    expect(numbers(await logOf(id))).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(await harness.containers()).toEqual([]);
  });
});
