import { Writable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../test-cloud';
import { type FakeApiServer, startFakeApiServer } from './fake-api-server';
import { SAMPLE_IMAGES, testKubeConfig } from './test-images';

const STAMPED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /;

// The Job controller and the log endpoint as Kiln's run-job stage uses them, through the real client.
describe('fake Kubernetes API server: Jobs and pod logs', { timeout: 30_000 }, () => {
  let api: FakeApiServer;
  let kc: k8s.KubeConfig;
  let batch: k8s.BatchV1Api;
  let core: k8s.CoreV1Api;
  beforeEach(async () => {
    api = await startFakeApiServer({ images: SAMPLE_IMAGES, tokens: { good: { name: 'kiln', namespaces: ['east'] } } });
    kc = testKubeConfig(api.url, 'good');
    batch = kc.makeApiClient(k8s.BatchV1Api);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  afterEach(() => api.close());

  const createJob = (name: string, script: string, image = 'registry.test/say-done:v1') =>
    batch.createNamespacedJob({
      namespace: 'east',
      body: {
        metadata: { name },
        spec: {
          backoffLimit: 0,
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image, command: ['/bin/sh', '-c', script], env: [{ name: 'WHO', value: 'fake' }] }] } },
        },
      },
    });
  /** The log as k8s.Log reads it (the client's streaming reader, as Kiln uses it). */
  const readLog = (pod: string, options: k8s.LogOptions) =>
    new Promise<string>((resolve, reject) => {
      let text = '';
      const sink = new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()), final: (cb) => (resolve(text), cb()) });
      new k8s.Log(kc).log('east', pod, 'job', sink, options).catch(reject);
    });
  const podOf = async (job: string) =>
    until(`a pod of ${job}`, async () => (await core.listNamespacedPod({ namespace: 'east', labelSelector: `batch.kubernetes.io/job-name=${job}` })).items[0]);
  const settled = (name: string) =>
    until(`job ${name} to finish`, async () => {
      const j = await batch.readNamespacedJob({ name, namespace: 'east' });
      return j.status?.conditions?.some((c) => c.status === 'True') && j;
    });

  it("runs the pod's sh -c command and follows its log, stamped, until the container ends; sinceTime and tailLines select lines", async () => {
    await createJob('count', 'echo "one $WHO"; sleep 0.3; echo two >&2; sleep 0.3; echo three; exit 0');
    const pod = (await podOf('count')).metadata!.name!;
    await until('the container to start', async () => (await core.readNamespacedPod({ name: pod, namespace: 'east' })).status?.phase === 'Running');
    const text = await readLog(pod, { follow: true, timestamps: true });
    const lines = text.trimEnd().split('\n');
    expect(lines.map((l) => l.replace(STAMPED, ''))).toEqual(['one fake', 'two', 'three']);
    expect(lines.every((l) => STAMPED.test(l))).toBe(true);
    const job = await settled('count');
    expect(job.status).toMatchObject({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] });
    // sinceTime is taken to the whole second, as the API server does: lines of that second come again.
    const firstSecond = `${lines[0]!.slice(0, 19)}Z`;
    expect(await readLog(pod, { sinceTime: firstSecond })).toContain('one fake');
    const later = new Date(Date.parse(firstSecond) + 5000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(await readLog(pod, { sinceTime: later })).toBe('');
    expect(await core.readNamespacedPodLog({ name: pod, namespace: 'east', tailLines: 1 })).toBe('three\n');
  });

  it('marks a Job Failed (BackoffLimitExceeded) with the exit code in the pod, and a pod whose image cannot be pulled waits with the reason', async () => {
    await createJob('broken', 'echo failing; exit 3');
    const job = await settled('broken');
    expect(job.status).toMatchObject({ failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] });
    const pod = await podOf('broken');
    expect(pod.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });

    await createJob('ghost', 'echo never', 'registry.test/ghost:v1');
    const waiting = await until('the pull to fail', async () => {
      const p = await podOf('ghost');
      return p.status?.containerStatuses?.[0]?.state?.waiting;
    });
    expect(waiting.reason).toBe('ImagePullBackOff');
    const events = await core.listNamespacedEvent({ namespace: 'east' });
    expect(events.items.map((e) => e.message)).toContainEqual(expect.stringMatching(/^Failed to pull image "registry.test\/ghost:v1": .*not found$/));
    // Its log cannot be read: the API server answers 400 (the container is waiting to start).
    await expect(core.readNamespacedPodLog({ name: (await podOf('ghost')).metadata!.name!, namespace: 'east' })).rejects.toMatchObject({ code: 400 });
  });
});
