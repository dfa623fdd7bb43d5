import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Account } from '../../../shared/domain/account';
import type { Execution } from '../../../shared/domain/execution';
import { PipelineDraft } from '../../../shared/domain/pipeline';
import { createEventBus } from '../../events/event-bus';
import { createEngine, type Engine } from '../../index';
import { createProviders } from '../providers';
import { until } from '../test-cloud';
import { deployEngine } from '../test-deploys';
import type { KubeObject } from './fake-store';
import { JOB_LABEL } from './kube-job-manifest';
import { knownImages, openKubernetesHarness, type KubernetesHarness } from './kubernetes-harness';
import { createKubernetesProvider, type KubernetesProvider } from './kubernetes-provider';

// Run-job stages on a kubernetes account, end to end: the engine, the real client and the fake API
// server, whose Job pods run their `sh -c` command with the host's sh (see fake-jobs.ts).
let h: KubernetesHarness | undefined;
const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  // Nothing Kiln made outlives a job: finished, failed, refused or canceled.
  const left = h ? await until('the Jobs and their pods to go', async () => ((await leftovers(h!)).length === 0 ? [] : undefined), 15_000).catch(() => leftovers(h!)) : [];
  await h?.close();
  h = undefined;
  expect(left).toEqual([]);
});

async function leftovers(harness: KubernetesHarness): Promise<string[]> {
  const mine = (o: KubeObject) => o.metadata.labels?.['kiln.io/kiln-id'] === harness.kilnId;
  return ['jobs.batch', 'pods'].flatMap((r) =>
    harness.api.store
      .list(r, 'east')
      .filter(mine)
      .map((o) => `${r}/${o.metadata.name}`),
  );
}

/** A provider for account k8s (namespaces: `regions`) on the harness's fake API server. */
async function providerOn(harness: KubernetesHarness, regions: string[], jobStartTimeoutMs?: number): Promise<KubernetesProvider> {
  const account = Account.parse({ ...harness.account, regions });
  await harness.repos.accounts.upsert(account);
  // Not started: adopting server groups would list every namespace, and jobs need none of it.
  const p = createKubernetesProvider({ repos: harness.repos, account, credentials: harness.credentials, images: knownImages('sample-app'), pollMs: 100, jobStartTimeoutMs });
  stops.push(() => p.close());
  return p;
}

async function open(options: { regions?: string[]; unschedulable?: boolean; jobStartTimeoutMs?: number; server?: string } = {}) {
  h = await openKubernetesHarness({ fake: { unschedulable: options.unschedulable }, ...(options.server ? { server: options.server } : {}) });
  const harness = h;
  const provider = await providerOn(harness, options.regions ?? ['east'], options.jobStartTimeoutMs);
  // Started without adoption, which lists server groups in every namespace (a namespace the token may not use fails it).
  const run = deployEngine(harness.repos, createProviders(harness.repos, undefined, { kubernetes: () => ({ ...provider, start: async () => {} }) }));
  stops.push(() => run.engine.stop());
  const created: KubeObject[] = [];
  harness.api.store.watch((r, e) => void (r === 'jobs.batch' && e.type === 'ADDED' && created.push(e.object)));
  return { harness, run, created, provider };
}

const logOf = async (harness: KubernetesHarness, id: string) => (await harness.repos.executionLogs.read(id, { refId: 's', after: 0, limit: 1000 })).map((l) => l.line);
const job = (command: string, extra: Record<string, unknown> = {}) => ({ account: 'k8s', image: 'registry.test/say-done:v1', command, ...extra });
const runToEnd = async (run: ReturnType<typeof deployEngine>, config: Record<string, unknown>): Promise<Execution> => run.finish(await run.start('runJob', config), 60_000);

describe('run-job stages as Kubernetes Jobs', { timeout: 120_000 }, () => {
  it("runs the command as a Job in the image: the pod's stdout and stderr in the stage's log, outputs published, the Job deleted", async () => {
    const { harness, run, created } = await open();
    const done = await runToEnd(
      run,
      job('echo "hello from $WHO"; echo "to stderr" >&2; echo "::kiln-output answer=42::"', { env: { WHO: 'a pod', API_TOKEN: 'tok-never-stored-5521' }, timeoutSec: 600 }),
    );
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stages[0]!.outputs).toMatchObject({ answer: '42', exitCode: 0 });
    const log = await logOf(harness, done.id);
    expect(log[0]).toMatch(/^created Job east\/web-job-[0-9a-f]{20} of registry\.test\/say-done:v1 on account 'k8s'$/);
    // stdout and stderr are two pipes: their lines interleave as the container runtime read them.
    expect(log.slice(1).sort()).toEqual(['hello from a pod', 'to stderr', '::kiln-output answer=42::'].sort());
    // An environment value reaches the pod only: neither the stage's log nor its stored context holds it.
    expect(created[0]?.spec.template.spec.containers[0].env).toContainEqual({ name: 'API_TOKEN', value: 'tok-never-stored-5521' });
    expect(JSON.stringify([log, done.stages[0]!.context, done.stages[0]!.outputs])).not.toContain('tok-never-stored-5521');
    // The Job as Kiln made it: one pod never retried, cleaned up by the cluster should Kiln die, stopped at the stage's limit.
    const [made] = created;
    expect(made?.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: 3600, activeDeadlineSeconds: 600 });
    expect(made?.spec.template.spec).toMatchObject({
      restartPolicy: 'Never',
      containers: [{ name: 'job', image: 'registry.test/say-done:v1', command: ['/bin/sh', '-c', expect.any(String)] }],
    });
    expect(made?.metadata.labels).toMatchObject({ 'kiln.io/application': 'web', [JOB_LABEL.execution]: done.id, [JOB_LABEL.stage]: 's', [JOB_LABEL.attempt]: '1' });
    // The log was followed live, with the kubelet's stamps (the cursor is built from them).
    expect(harness.api.requests.some((r) => /^GET \/api\/v1\/namespaces\/east\/pods\/web-job-[0-9a-f]+-\w+\/log\?.*follow=true.*timestamps=true/.test(r))).toBe(true);
    expect(harness.api.requests.filter((r) => r.startsWith('DELETE /apis/batch/v1/namespaces/east/jobs/'))).toEqual([expect.stringContaining('propagationPolicy=Background')]);
  });

  it("fails with the container's exit code and the Job's Failed condition, and with the kubelet's words when the image cannot be pulled", async () => {
    const { harness, run } = await open();
    const failed = await runToEnd(run, job('echo failing; exit 3'));
    expect(failed.status).toBe('TERMINAL');
    expect(failed.stages[0]!.error).toBe('the job exited with code 3 (success: 0); Job condition Failed: BackoffLimitExceeded (Job has reached the specified backoff limit)');
    expect(await logOf(harness, failed.id)).toContain('failing');
    const tolerated = await runToEnd(run, job('exit 3', { successExitCodes: [0, 3] }));
    expect(tolerated.status).toBe('SUCCEEDED');

    const unpullable = await runToEnd(run, job('echo never', { image: 'registry.test/no-such-image:v1' }));
    expect(unpullable.status).toBe('TERMINAL');
    expect(unpullable.stages[0]!.error).toMatch(
      /^account 'k8s' cannot run the job: pod web-job-[0-9a-f]+-\w+: Failed to pull image "registry\.test\/no-such-image:v1": rpc error: code = NotFound .*not found$/,
    );
  });

  it("is refused with the API server's 403 in a namespace its credentials may not use, and names the account's namespaces for one it has not", async () => {
    const { run, harness } = await open({ regions: ['east', 'payments'] });
    const forbidden = await runToEnd(run, job('echo never', { region: 'payments' }));
    expect(forbidden.status).toBe('TERMINAL');
    expect(forbidden.stages[0]!.error).toMatch(
      /^account 'k8s' may not (read|create) Job 'web-job-[0-9a-f]+' in namespace 'payments': jobs\.batch( "web-job-[0-9a-f]+")? is forbidden: User "kiln" cannot (get|create) resource "jobs" in API group "batch" in the namespace "payments" \(HTTP 403\)$/,
    );
    const elsewhere = await runToEnd(run, job('echo never', { region: 'elsewhere' }));
    expect(elsewhere.stages[0]!.error).toBe("namespace 'elsewhere' is not one of account 'k8s''s namespaces (east, payments)");
    expect(harness.api.requests.filter((r) => r.startsWith('POST /apis/batch/'))).toEqual([]);
  });

  it('fails naming the account and the server when the API server cannot be reached', async () => {
    const { run, harness } = await open({ server: 'http://127.0.0.1:9' });
    const unreachable = await runToEnd(run, job('echo never'));
    expect(unreachable.status).toBe('TERMINAL');
    // The account's health is asked before anything is recorded or made.
    expect(unreachable.stages[0]!.error).toMatch(/^account 'k8s' is unreachable: the Kubernetes API server at http:\/\/127\.0\.0\.1:9 cannot be reached: .*ECONNREFUSED/);
    expect(harness.api.requests.filter((r) => r.includes('/jobs'))).toEqual([]);
  });

  it('fails naming the last event when the pod never starts, and deletes the Job', async () => {
    const { run } = await open({ unschedulable: true, jobStartTimeoutMs: 1500 });
    const stuck = await runToEnd(run, job('echo never'));
    expect(stuck.status).toBe('TERMINAL');
    expect(stuck.stages[0]!.error).toMatch(
      /^Job 'web-job-[0-9a-f]+': its pod did not start within 2 s; last event: FailedScheduling: 0\/1 nodes are available: 1 node\(s\) were unschedulable\./,
    );
  });

  it('deletes the Job, and with it its running pod, when the run is canceled and when the job times out', async () => {
    const { run, harness } = await open();
    const id = await run.start('runJob', job('echo started; sleep 600'));
    await until('the job to print', async () => (await logOf(harness, id)).includes('started'), 30_000);
    expect((await leftovers(harness)).length).toBe(2);
    await run.engine.cancel(id, 'ana', 'enough');
    await until('the Job and its pod to go', async () => (await leftovers(harness)).length === 0, 15_000);
    expect(harness.api.requests.filter((r) => r.startsWith('DELETE /apis/batch/v1/namespaces/east/jobs/'))).toEqual([expect.stringContaining('propagationPolicy=Background')]);

    const timedOut = await runToEnd(run, job('echo started; sleep 600', { timeoutSec: 2 }));
    expect(timedOut.status).toBe('TERMINAL');
    expect(timedOut.stages[0]!.error).toBe('timed out after 2 s; the Job was deleted');
  });

  it('stores every line once when a second Kiln takes the stage over mid-log, the ones printed while nobody followed included', async () => {
    h = await openKubernetesHarness();
    const harness = h;
    const engineOn = (owner: string, provider: KubernetesProvider): Engine => {
      const e = createEngine({
        repos: harness.repos,
        events: createEventBus(harness.repos),
        cloud: createProviders(harness.repos, undefined, { kubernetes: () => provider }),
        owner,
        tickMs: 100,
        leaseMs: 1500,
        jobsRoot: mkdtempSync(join(tmpdir(), `kiln-jobs-${owner}-`)),
      });
      e.run();
      stops.push(() => e.stop());
      return e;
    };
    const numbers = (lines: string[]) => lines.filter((l) => /^line \d+$/.test(l)).map((l) => Number(l.slice('line '.length)));
    const count = 60;
    const pipeline = await harness.repos.pipelines.create(
      PipelineDraft.parse({
        application: 'web',
        name: 'counting',
        stages: [{ refId: 's', type: 'runJob', name: 'Count', config: job(`i=1; while [ $i -le ${count} ]; do echo "line $i"; i=$((i+1)); sleep 0.1; done`) }],
      }),
      'ana',
    );
    const providerA = await providerOn(harness, ['east']);
    const a = engineOn('kiln-a', providerA);
    const { id } = await a.start(pipeline, { type: 'manual', user: 'ana', parameters: {} });
    await until('A to store line 10', async () => numbers(await logOf(harness, id)).includes(10), 30_000);

    // Kiln A dies: its engine stops and its provider stops reading the log.
    await a.stop();
    await providerA.close();
    const storedByA = numbers(await logOf(harness, id)).length;
    const pod = harness.api.store.list('pods', 'east').find((p) => p.metadata.labels?.['job-name'])!;
    await until('10 lines printed while nobody followed', async () => {
      const printed = (await harness.core.readNamespacedPodLog({ name: pod.metadata.name, namespace: 'east' })).match(/line \d+/g) ?? [];
      return printed.length >= storedByA + 10;
    });

    // Kiln B has its own provider; it takes the run over once A's lease ran out.
    engineOn('kiln-b', await providerOn(harness, ['east']));
    const done = await until(
      'B to finish the run',
      async () => {
        const e = await harness.repos.executions.get(id);
        return e && e.status !== 'RUNNING' && e;
      },
      60_000,
    );
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    // One Job for the stage, followed by both; every number exactly once, in order.
    expect(harness.api.requests.filter((r) => r.startsWith('POST /apis/batch/'))).toHaveLength(1);
    expect(numbers(await logOf(harness, id))).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  });
});
