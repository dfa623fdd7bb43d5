import { request } from 'node:http';
import type { V1Pod, V1PodTemplateSpec, V1Probe, V1Secret } from '@kubernetes/client-node';

/**
 * Test support: runs pod specs Kiln generates as real containers through Podman's
 * `POST /libpod/play/kube` (what `podman kube play` calls), so the tests see what a kubelet would
 * make of them. Podman is not a kubelet: see kube-pods-podman.test.ts for what it ignores.
 */
export interface Libpod {
  call(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  json<T>(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<T>;
}

export function libpod(host: string): Libpod {
  const socketPath = host.replace(/^unix:\/\//, '');
  const call: Libpod['call'] = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const req = request({ socketPath, method, path: `/v4.0.0/libpod${path}`, headers: { 'content-type': 'application/yaml', ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    call,
    async json<T>(method: string, path: string, body?: string, headers?: Record<string, string>) {
      const res = await call(method, path, body, headers);
      if (res.status >= 300) throw new Error(`libpod ${method} ${path}: HTTP ${res.status} ${res.text}`);
      return JSON.parse(res.text) as T;
    },
  };
}

/** The pod a ReplicaSet controller makes from a template: its metadata and spec verbatim, plus a name. */
export const podFromTemplate = (template: V1PodTemplateSpec, name: string): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { ...template.metadata, name },
  spec: template.spec!,
});

/**
 * Podman ignores `imagePullSecrets` (it has no Secrets of that type to look up), so the registry
 * credentials go in X-Registry-Config, taken from the very Secret Kiln would write: a Secret whose
 * dockerconfigjson the registry refuses fails the pull here as it would on a node.
 */
export function registryConfigFromSecret(secret: V1Secret): string {
  const config = JSON.parse(Buffer.from(secret.data?.['.dockerconfigjson'] ?? '', 'base64').toString('utf8')) as {
    auths: Record<string, { username?: string; password?: string; auth?: string }>;
  };
  const byHost = Object.fromEntries(
    Object.entries(config.auths).map(([host, a]) => {
      const [username = '', password = ''] = a.auth ? Buffer.from(a.auth, 'base64').toString('utf8').split(/:(.*)/s) : [a.username, a.password];
      return [host, { username, password, serveraddress: host }];
    }),
  );
  // Go's padded URL alphabet (base64.URLEncoding): Node's base64url drops the padding Podman insists on.
  return Buffer.from(JSON.stringify(byHost)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

export interface PlayedPod {
  podId: string;
  containerIds: string[];
}

/** Plays one pod (JSON is YAML) and starts it; throws Podman's own words when it refuses. */
export async function playPod(api: Libpod, pod: V1Pod, registryConfig?: string): Promise<PlayedPod> {
  const res = await api.call('POST', '/play/kube?tlsVerify=false&start=true', JSON.stringify(pod), registryConfig ? { 'X-Registry-Config': registryConfig } : {});
  if (res.status >= 300) throw new Error(`podman play kube refused pod ${pod.metadata?.name}: HTTP ${res.status} ${res.text}`);
  const report = JSON.parse(res.text) as { Pods?: { ID: string; Containers: string[]; ContainerErrors?: string[] | null }[] };
  const played = report.Pods?.[0];
  if (!played) throw new Error(`podman play kube made no pod: ${res.text}`);
  if (played.ContainerErrors?.length) throw new Error(`podman play kube: ${played.ContainerErrors.join('; ')}`);
  return { podId: played.ID, containerIds: played.Containers };
}

export async function removePod(api: Libpod, podId: string): Promise<void> {
  await api.call('DELETE', `/pods/${podId}?force=true`);
}

/** What the tests read of a container's inspect (Podman 4's shape; Entrypoint became a list in Podman 5). */
export interface ContainerView {
  Path: string;
  Args: string[];
  Config: { Env: string[]; User: string; WorkingDir: string; Entrypoint: string | string[]; Cmd: string[] | null; Image: string };
  ImageName: string;
  State: { Pid: number; Running: boolean; Status: string };
  HostConfig: { Privileged: boolean; ReadonlyRootfs: boolean; CapAdd: string[] | null; CapDrop: string[] | null; SecurityOpt: string[] | null };
}

/** The pod's address on Podman's bridge, where a kubelet's probes and a Service's endpoints reach it. */
export async function podIp(api: Libpod, podId: string): Promise<string> {
  const pod = await api.json<{ InfraContainerID: string }>('GET', `/pods/${podId}/json`);
  const infra = await api.json<{ NetworkSettings: { IPAddress?: string; Networks?: Record<string, { IPAddress: string }> } }>('GET', `/containers/${pod.InfraContainerID}/json`);
  const ip = Object.values(infra.NetworkSettings.Networks ?? {})[0]?.IPAddress || infra.NetworkSettings.IPAddress;
  if (!ip) throw new Error(`pod ${podId} has no address on a bridge network`);
  return ip;
}

/**
 * One HTTP readiness check as the kubelet makes it (pkg/probe/http): GET `scheme://host:port/path`
 * with the probe's headers, a named port looked up in the container's ports, success for 200–399.
 * Podman 4 does not run readiness probes itself, so this is the kubelet's half of the contract.
 */
export async function httpProbe(probe: V1Probe, ports: { name?: string; containerPort: number }[], podAddress: string): Promise<{ ready: boolean; status: number | string }> {
  const get = probe.httpGet;
  if (!get) throw new Error('the probe is not an httpGet probe');
  const port = typeof get.port === 'number' ? get.port : /^\d+$/.test(String(get.port)) ? Number(get.port) : ports.find((p) => p.name === get.port)?.containerPort;
  if (port === undefined) return { ready: false, status: `no container port named '${String(get.port)}'` };
  const url = `${(get.scheme ?? 'HTTP').toLowerCase()}://${get.host ?? podAddress}:${port}${get.path ?? '/'}`;
  const headers = Object.fromEntries((get.httpHeaders ?? []).map((h) => [h.name, h.value]));
  try {
    const res = await fetch(url, { headers: { 'user-agent': 'kube-probe/1.30', ...headers }, redirect: 'manual', signal: AbortSignal.timeout((probe.timeoutSeconds ?? 1) * 1000) });
    await res.arrayBuffer();
    return { ready: res.status >= 200 && res.status < 400, status: res.status };
  } catch (err) {
    return { ready: false, status: (err as Error).message };
  }
}
