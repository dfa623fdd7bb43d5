import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../db/test-builders';
import { registryContainerImages } from '../docker/container-images';
import { containerSecurity, replicaSetManifest } from './kube-manifests';
import { restrictedProblems } from './pod-security';
import type { RunResources } from '../../../shared/domain/image';

const group = (runAsUser?: string, resources?: RunResources) =>
  replicaSetManifest({
    kilnId: 'kiln-1',
    name: 'web-api-v001',
    application: 'web',
    cluster: 'web-api',
    image: { name: 'web', version: 'v1' },
    pullRef: 'registry.test/web:v1',
    capacity: { min: 1, desired: 1, max: 1 },
    loadBalancers: [],
    healthCheckPath: '/ready',
    runAsUser,
    resources,
  }).spec!.template!.spec!;

describe('the pod Kiln writes', () => {
  it('with a numeric non-root run.user: runs as that uid and gid, and PodSecurity “restricted” admits it', () => {
    const pod = group('1000:1001');
    expect(pod.containers[0]?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      seccompProfile: { type: 'RuntimeDefault' },
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1001,
      capabilities: { drop: ['ALL'] },
    });
    expect(restrictedProblems(pod)).toEqual([]);
    expect(containerSecurity('4242')).toMatchObject({ runAsUser: 4242, runAsNonRoot: true });
    expect(containerSecurity('4242')).not.toHaveProperty('runAsGroup');
  });

  it('with a user name, root or no user: no runAsNonRoot (the kubelet would refuse a name it cannot check), and says what restricted misses', () => {
    for (const user of ['app', '0', '0:0', undefined]) {
      const ctx = group(user).containers[0]?.securityContext;
      expect(ctx).toEqual({ allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } });
      expect(restrictedProblems(group(user))).toEqual(['container app: capabilities must drop ALL', 'container app: runAsNonRoot must be true']);
    }
  });

  it('env values are strings and the probe port is the declared containerPort, as the API requires', () => {
    const c = group().containers[0]!;
    expect(c.env?.every((e) => typeof e.value === 'string' || e.valueFrom !== undefined)).toBe(true);
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/ready', port: c.ports?.[0]?.containerPort });
  });

  it('with run.resources: requests and limits equal (a quota that requires limits admits it, the pod is Guaranteed); without: none', () => {
    // replicaSetManifest validates against the Kubernetes schema, so the quantities are ones the API accepts.
    expect(group(undefined, { cpu: 0.5, memoryMiB: 256 }).containers[0]?.resources).toEqual({
      requests: { cpu: '500m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    expect(group().containers[0]).not.toHaveProperty('resources');
  });
});

describe('baked images carry the recipe’s run.user to the cluster', () => {
  const current = useTestDatabase();

  it('the image registry keeps run.user, and the container images the providers resolve say it', async () => {
    const { repos } = current();
    await repos.images.create(
      {
        name: 'web',
        build: { builder: 'oci', tools: {}, packages: [] },
        digest: `sha256:${'a'.repeat(64)}`,
        sizeBytes: 10,
        format: 'oci',
        artifact: `${'a'.repeat(64)}.oci.tar`,
        run: { entrypoint: 'app/server.mjs', healthPath: '/ready', user: '1000:1000', resources: { cpu: 0.5, memoryMiB: 256 } },
      },
      'ci',
    );
    const found = await registryContainerImages({ repos, paths: { images: '/nonexistent', roots: '/nonexistent', work: '/nonexistent' } }).resolve('web:v1');
    expect(found).toMatchObject({ ref: { name: 'web', version: 'v1' }, healthPath: '/ready', user: '1000:1000', resources: { cpu: 0.5, memoryMiB: 256 } });
  });
});
