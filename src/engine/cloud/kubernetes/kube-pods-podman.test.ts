import { execFileSync } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { accountRegistryPublisher } from '../../registry-push/publish-image';
import { registryOrSkip, TEST_REGISTRY, TEST_REGISTRY_PASSWORD, TEST_REGISTRY_USER, uniqueName } from '../../registry-push/test-registry';
import { archiveImages, type ContainerImageSource } from '../docker/container-images';
import { SKIP_REASON, TEST_DOCKER_HOST } from '../docker/docker-harness';
import { sampleAppArchive } from '../docker/test-image';
import { type KubernetesHarness, openKubernetesHarness } from './kubernetes-harness';
import { APP_PORT } from './kube-manifests';
import { type ContainerView, httpProbe, type Libpod, libpod, playPod, podFromTemplate, podIp, registryConfigFromSecret, removePod } from './podman-play';
import { PROBE_APP } from './test-images';

/*
 * The pods Kiln generates, run as real containers by Podman's play-kube. The provider deploys to the
 * fake API server as usual (pushing the baked image to a real registry first); the test then takes
 * the exact pod template of the ReplicaSet it wrote, and the pull Secret it wrote, and has Podman run
 * one replica. The image is the probe app baked by the bakery's OCI builder with a recipe's
 * `run.user`, and a recipe health path of /ready (the app 404s anywhere else).
 * What this proves: a real runtime pulls the digest reference with the Secret's credentials, and
 * runs the recipe's entrypoint as its user with the env Kiln means (literal values and the downward
 * API's metadata.name); the app serves on the declared containerPort at the pod's address; the
 * readiness probe Kiln writes passes against the real app (checked as the kubelet checks it) and
 * fails when the recipe names a path the app does not serve.
 * What it does not: Podman 4 is not a kubelet. It runs no readiness probe (the test makes the
 * kubelet's HTTP GET itself), ignores imagePullSecrets (the Secret's credentials go in
 * X-Registry-Config), knows no ReplicaSet, Service or label selector (one pod, no controller, no
 * traffic label semantics), and publishes each containerPort on the host's same port, which a
 * kubelet does not (the played copy gets a loopback hostPort; see deploy()). Admission (PodSecurity)
 * is not run: pod-security.ts checks the spec against the restricted rules in the fast suite.
 */

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const RUN_USER = '1000:1000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port nothing on this machine listens on now (the kernel's pick). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** The manifest digest a push of the archive stores (the fake's node pulls only that, as a registry serves it). */
const manifestDigest = (archive: string) => JSON.parse(execFileSync('tar', ['-xOf', archive, './index.json'], { encoding: 'utf8' })).manifests[0].digest as string;

// play-kube is Podman's own API: Docker (with-dockerd.sh) has none.
const isDocker = process.env.KILN_TEST_DOCKER_ENGINE === 'docker';
const skip = !TEST_DOCKER_HOST || isDocker || registryOrSkip();
const why = !TEST_DOCKER_HOST ? SKIP_REASON : isDocker ? 'the test engine is Docker, which has no play-kube' : 'Podman play-kube';
describe.skipIf(skip)(`Kiln's pod specs run as real containers (${why})`, () => {
  let api: Libpod;
  let h: KubernetesHarness;
  /** The recipe's run.healthPath of the image the next deploy bakes. */
  let recipeHealthPath = '/ready';
  const podIds: string[] = [];

  beforeAll(async () => {
    api = libpod(TEST_DOCKER_HOST!);
    const registry = `${TEST_REGISTRY}/${uniqueName('team')}`;
    const archive = await sampleAppArchive({ app: PROBE_APP, user: RUN_USER });
    const baked = archiveImages({ 'probe-app': archive });
    const images: ContainerImageSource = {
      resolve: async (ref) => {
        const found = await baked.resolve(ref);
        return found && { ...found, healthPath: recipeHealthPath, user: RUN_USER };
      },
    };
    h = await openKubernetesHarness({
      registryUrl: registry,
      registry: { registryUsername: TEST_REGISTRY_USER, registryPassword: TEST_REGISTRY_PASSWORD },
      fake: { images: { [`${registry}/probe-app`]: PROBE_APP }, digests: { [`${registry}/probe-app`]: manifestDigest(archive) } },
      provider: { images, publisher: { publish: (image) => accountRegistryPublisher({ repos: h.repos, account: h.account, credentials: h.credentials })!.publish(image) } },
    });
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async () => {
    for (const id of podIds.splice(0)) await removePod(api, id);
  });

  /** Deploys through the provider, then runs one replica of the ReplicaSet it wrote, as its controller would make it, on Podman. */
  const deploy = async (name: string) => {
    await h.provider.createServerGroup({
      application: 'web',
      account: 'k8s',
      region: 'east',
      name,
      image: 'probe-app:v3',
      capacity: { min: 1, desired: 1, max: 1 },
      loadBalancers: [],
      disabled: true,
    });
    const rs = await h.apps.readNamespacedReplicaSet({ name, namespace: 'east' });
    const secret = await h.core.readNamespacedSecret({ name: rs.spec!.template!.spec!.imagePullSecrets![0]!.name!, namespace: 'east' });
    await h.provider.destroyServerGroup({ account: 'k8s', region: 'east', name });
    const pod: V1Pod = podFromTemplate(rs.spec!.template!, `${name}-x7k2q`);
    // The one change to Kiln's template, for Podman alone: Podman 4 publishes every containerPort on
    // the host at the same port on all addresses (a kubelet publishes nothing without hostPort), which
    // would collide with the fake's pods on 127.x:8080 in parallel tests. A free loopback port instead;
    // the app is reached at the pod's own address, as a kubelet and a Service reach it.
    const played = structuredClone(pod);
    for (const c of played.spec!.containers) for (const p of c.ports ?? []) Object.assign(p, { hostIP: '127.0.0.1', hostPort: await freePort() });
    const { podId, containerIds } = await playPod(api, played, registryConfigFromSecret(secret));
    podIds.push(podId);
    const container = pod.spec!.containers[0]!;
    const ip = await podIp(api, podId);
    const inspect = await api.json<ContainerView>('GET', `/containers/${containerIds[0]}/json`);
    return { pod, container, ip, inspect };
  };

  /** What the app says about itself on the declared containerPort at the pod's address (what a Service's endpoints reach). */
  const serving = async (ip: string, container: V1Container) => {
    const port = container.ports![0]!.containerPort;
    for (let i = 0; i < 150; i++) {
      const res = await fetch(`http://${ip}:${port}/`).catch(() => undefined);
      if (res) return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      await sleep(200);
    }
    throw new Error(`nothing answered on ${ip}:${port}`);
  };

  it('runs the pinned digest as the recipe’s user, with its entrypoint and the env Kiln means, serving on the declared port', async () => {
    recipeHealthPath = '/ready';
    const { container, ip, inspect } = await deploy('web-pods-v001');
    expect(container.image).toMatch(/\/probe-app@sha256:[a-f0-9]{64}$/);
    // Podman pulled exactly the pushed manifest, with the credentials of the Secret Kiln wrote.
    expect(inspect.ImageName).toBe(container.image);
    expect(inspect.State.Running).toBe(true);
    const answer = await serving(ip, container);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      // The recipe's run.user, really: not root.
      uid: 1000,
      gid: 1000,
      cwd: '/',
      // The recipe's entrypoint: Kiln sets no command or args, so the image's config applies.
      argv: ['/app/server.mjs'],
      // metadata.name through the downward API: the pod's own name, as a kubelet fills it in.
      env: { PORT: String(APP_PORT), KILN_IMAGE_NAME: 'probe-app', KILN_IMAGE_VERSION: 'v3', KILN_INSTANCE_ID: 'web-pods-v001-x7k2q' },
      // The securityContext Kiln writes for a non-root user took effect: no_new_privs, no capabilities, a seccomp filter.
      noNewPrivs: '1',
      capEff: '0000000000000000',
      seccomp: '2',
    });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, allowPrivilegeEscalation: false });
    expect([inspect.Path, ...inspect.Args]).toEqual(['node', '/app/server.mjs']);
    expect(inspect.Config.User).toBe(RUN_USER);
  });

  it('the readiness probe Kiln writes from the recipe’s health path answers ready on the real app, checked as the kubelet checks it', async () => {
    recipeHealthPath = '/ready';
    const { container, ip } = await deploy('web-pods-v002');
    await serving(ip, container);
    const probe = container.readinessProbe!;
    expect(probe.httpGet?.path).toBe('/ready');
    let last: { ready: boolean; status: number | string } = { ready: false, status: 'not probed' };
    // successThreshold 1: one success makes the pod Ready.
    for (let i = 0; i < 30 && !last.ready; i++) {
      last = await httpProbe(probe, container.ports ?? [], ip);
      if (!last.ready) await sleep(200);
    }
    expect(last).toEqual({ ready: true, status: 200 });
  });

  it('a recipe whose health path the app does not serve: the app runs, but the pod is reported unready', async () => {
    recipeHealthPath = '/healthz';
    const { container, ip } = await deploy('web-pods-v003');
    expect((await serving(ip, container)).status).toBe(200);
    const probe = container.readinessProbe!;
    // failureThreshold consecutive failures: the kubelet marks it NotReady, and a Service would send it nothing.
    const results = [];
    for (let i = 0; i < (probe.failureThreshold ?? 3); i++) results.push(await httpProbe(probe, container.ports ?? [], ip));
    expect(results).toEqual(Array.from({ length: probe.failureThreshold ?? 3 }, () => ({ ready: false, status: 404 })));
  });
});
