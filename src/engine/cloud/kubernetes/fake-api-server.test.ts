import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../test-cloud';
import { startFakeApiServer, type FakeApiServer } from './fake-api-server';
import { SAMPLE_IMAGES, testKubeConfig } from './test-images';

const podTemplate = (image: string) => ({
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [
      {
        name: 'app',
        image,
        ports: [{ containerPort: 8080 }],
        env: [{ name: 'PORT', value: '8080' }],
        readinessProbe: { httpGet: { path: '/health', port: 8080 }, periodSeconds: 1 },
      },
    ],
  },
});
const replicaSet = (name: string, image = 'registry.test/sample-app:v1', replicas = 2) => ({
  metadata: { name, labels: { app: 'web' } },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: podTemplate(image) },
});

// The fake must behave like a real API server towards the real client, or the provider's tests prove nothing.
describe('fake Kubernetes API server', { timeout: 30_000 }, () => {
  let api: FakeApiServer;
  let apps: k8s.AppsV1Api;
  let core: k8s.CoreV1Api;
  beforeEach(async () => {
    api = await startFakeApiServer({
      images: SAMPLE_IMAGES,
      tokens: { good: { name: 'kiln', namespaces: ['east'] }, old: { name: 'kiln', namespaces: '*', expired: true } },
    });
    const kc = testKubeConfig(api.url, 'good');
    apps = kc.makeApiClient(k8s.AppsV1Api);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  afterEach(() => api.close());

  it('runs a ReplicaSet as pods that answer HTTP and become Ready, owned by the set', async () => {
    const rs = await apps.createNamespacedReplicaSet({ namespace: 'east', body: replicaSet('web-v001') });
    const pods = await until('two ready pods', async () => {
      const list = await core.listNamespacedPod({ namespace: 'east', labelSelector: 'app=web' });
      return list.items.length === 2 && list.items.every((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) && list.items;
    });
    expect(pods.map((p) => p.metadata?.ownerReferences?.[0]?.uid)).toEqual([rs.metadata?.uid, rs.metadata?.uid]);
    const res = await fetch(`http://${pods[0]!.status!.podIP}:8080/health`);
    expect(res.status).toBe(200);
    const log = await until('a log', async () => (await core.readNamespacedPodLog({ name: pods[0]!.metadata!.name!, namespace: 'east' })) || undefined);
    expect(log).toContain('listening on');
    // Background propagation: deleting the set deletes its pods.
    await apps.deleteNamespacedReplicaSet({ name: 'web-v001', namespace: 'east', propagationPolicy: 'Background' });
    await until('no pods left', async () => (await core.listNamespacedPod({ namespace: 'east' })).items.length === 0);
  });

  it('refuses an invalid manifest with a 422 Status naming the field, and a stale write with a 409', async () => {
    const bad = replicaSet('web-v002') as { spec: { replicas: unknown } };
    bad.spec.replicas = 'two';
    await expect(apps.createNamespacedReplicaSet({ namespace: 'east', body: bad as never })).rejects.toMatchObject({
      code: 422,
      body: expect.stringContaining('spec/replicas must be integer'),
    });
    await apps.createNamespacedReplicaSet({ namespace: 'east', body: replicaSet('web-v002', 'registry.test/sample-app:v1', 0) });
    // The controller writes the status once; after that the object stays put.
    const seen = await until('the status written', async () => {
      const rs = await apps.readNamespacedReplicaSet({ name: 'web-v002', namespace: 'east' });
      return rs.status && rs;
    });
    await apps.replaceNamespacedReplicaSet({ name: 'web-v002', namespace: 'east', body: { ...seen, metadata: { ...seen.metadata, labels: { app: 'web', v: '2' } } } });
    await expect(apps.replaceNamespacedReplicaSet({ name: 'web-v002', namespace: 'east', body: seen })).rejects.toMatchObject({
      code: 409,
      body: expect.stringContaining('the object has been modified'),
    });
    await expect(apps.createNamespacedReplicaSet({ namespace: 'east', body: replicaSet('web-v002') })).rejects.toMatchObject({ code: 409 });
  });

  it('applies merge, strategic and JSON patches as the client sends them', async () => {
    await apps.createNamespacedReplicaSet({ namespace: 'east', body: replicaSet('web-v003', 'registry.test/sample-app:v1', 0) });
    const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
    await apps.patchNamespacedReplicaSet({ name: 'web-v003', namespace: 'east', body: { metadata: { labels: { extra: 'yes' } } } }, merge);
    const json = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);
    await apps.patchNamespacedReplicaSet({ name: 'web-v003', namespace: 'east', body: [{ op: 'replace', path: '/spec/replicas', value: 1 }] }, json);
    const smp = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
    const after = await apps.patchNamespacedReplicaSet(
      {
        name: 'web-v003',
        namespace: 'east',
        body: {
          spec: {
            template: {
              spec: {
                containers: [
                  {
                    name: 'app',
                    env: [
                      { name: 'PORT', value: '8080' },
                      { name: 'MODE', value: 'x' },
                    ],
                  },
                ],
              },
            },
          },
        },
      },
      smp,
    );
    expect(after.metadata?.labels).toMatchObject({ app: 'web', extra: 'yes' });
    expect(after.spec?.replicas).toBe(1);
    // Merged by name: the container keeps its image.
    expect(after.spec?.template?.spec?.containers[0]).toMatchObject({ name: 'app', image: 'registry.test/sample-app:v1', env: [{ name: 'PORT' }, { name: 'MODE' }] });
  });

  it('streams changes to a watch', async () => {
    const seen: string[] = [];
    const watch = new k8s.Watch(testKubeConfig(api.url, 'good'));
    const req = await watch.watch(
      '/api/v1/namespaces/east/services',
      {},
      (type, obj: k8s.V1Service) => seen.push(`${type} ${obj.metadata?.name}`),
      () => {},
    );
    await core.createNamespacedService({ namespace: 'east', body: { metadata: { name: 'front' }, spec: { selector: { app: 'web' }, ports: [{ port: 8081, targetPort: 8080 }] } } });
    await core.deleteNamespacedService({ name: 'front', namespace: 'east' });
    await until('two events', async () => seen.length >= 2);
    req.abort();
    expect(seen).toEqual(['ADDED front', 'DELETED front']);
  });

  it('answers 401 to expired credentials and 403 outside the namespaces its RBAC table allows', async () => {
    const expired = testKubeConfig(api.url, 'old').makeApiClient(k8s.CoreV1Api);
    await expect(expired.listNamespacedPod({ namespace: 'east' })).rejects.toMatchObject({ code: 401 });
    await expect(core.listNamespacedPod({ namespace: 'west' })).rejects.toMatchObject({
      code: 403,
      body: expect.stringContaining('pods is forbidden: User \\"kiln\\" cannot list resource \\"pods\\" in API group \\"\\" in the namespace \\"west\\"'),
    });
  });

  it('reports an unknown image as ImagePullBackOff with the pull failure as an Event', async () => {
    await apps.createNamespacedReplicaSet({ namespace: 'east', body: replicaSet('web-v004', 'registry.test/nope:v9', 1) });
    const events = await until('a pull failure event', async () => {
      const list = await core.listNamespacedEvent({ namespace: 'east' });
      return list.items.some((e) => e.reason === 'Failed') && list.items;
    });
    expect(events.find((e) => e.reason === 'Failed')?.message).toContain('Failed to pull image "registry.test/nope:v9"');
    const [pod] = (await core.listNamespacedPod({ namespace: 'east' })).items;
    expect(pod?.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ImagePullBackOff');
  });

  it('runs a Job to completion and keeps its pod log', async () => {
    const batch = testKubeConfig(api.url, 'good').makeApiClient(k8s.BatchV1Api);
    await batch.createNamespacedJob({
      namespace: 'east',
      body: {
        metadata: { name: 'migrate' },
        spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'registry.test/say-done:v1' }] } } },
      },
    });
    const job = await until('the job complete', async () => {
      const j = await batch.readNamespacedJob({ name: 'migrate', namespace: 'east' });
      return j.status?.conditions?.some((c) => c.type === 'Complete') && j;
    });
    expect(job.status?.succeeded).toBe(1);
    const [pod] = (await core.listNamespacedPod({ namespace: 'east', labelSelector: 'job-name=migrate' })).items;
    expect(await core.readNamespacedPodLog({ name: pod!.metadata!.name!, namespace: 'east' })).toContain('done');
  });
});
