import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createPodLogs, shellCommand } from './fake-jobs';
import type { FakeStore, KubeObject } from './fake-store';

/** How the fake's nodes behave; every delay is short by default so tests stay quick. */
export interface KubeletOptions {
  /** image (without tag) → a Node script run as the container's process; anything else fails to pull. */
  images: Record<string, string>;
  /** From scheduling to the container running. */
  startDelayMs?: number;
  /** 'probe': ready when the readiness probe answers; 'never': the probe never passes (a broken app). */
  readiness?: 'probe' | 'never';
  probeIntervalMs?: number;
  /** A private registry: pulls from `host/…` need an imagePullSecret of the pod holding these credentials. */
  registryAuth?: { host: string; username: string; password: string };
  /** No node takes pods (all cordoned): every pod stays Pending with the scheduler's FailedScheduling event. */
  unschedulable?: boolean;
  /** repository → the only manifest digest it has: an image pinned to another digest is not found. */
  digests?: Record<string, string>;
}

interface Running {
  child?: ChildProcess;
  ip?: string;
  log: string[];
  timers: NodeJS.Timeout[];
  exited: Promise<void>;
}

const usedIps = new Set<string>();
/** Each pod gets its own loopback address (all of 127/8 is the loopback device), so pods share container ports as on a pod network. */
async function freeIp(port: number): Promise<string> {
  for (;;) {
    const ip = `127.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
    if (usedIps.has(ip)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, ip, () => s.close(() => resolve(true)));
    });
    if (free) {
      usedIps.add(ip);
      return ip;
    }
  }
}

const now = () => new Date().toISOString();

/**
 * The nodes: runs each pod's container as a real process on its own loopback address, reports its
 * phase, container state and Ready condition the way the kubelet does, and writes the Events a
 * person reads in `kubectl describe pod` (image pull failures, failed probes).
 */
export function createKubelet(store: FakeStore, options: KubeletOptions) {
  const running = new Map<string, Running>();
  const logs = createPodLogs();
  const probeMs = options.probeIntervalMs ?? 100;

  const setStatus = (pod: KubeObject, status: Record<string, unknown>) => {
    const current = store.get('pods', pod.metadata.namespace!, pod.metadata.name);
    if (!current || current.metadata.uid !== pod.metadata.uid) return;
    store.update('pods', pod.metadata.namespace!, { ...current, metadata: { ...current.metadata, resourceVersion: undefined as never }, status: { ...current.status, ...status } });
  };
  const event = (pod: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) => {
    const ns = pod.metadata.namespace!;
    store.create('events', ns, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: '', generateName: `${pod.metadata.name}.` },
      involvedObject: { kind: 'Pod', namespace: ns, name: pod.metadata.name, uid: pod.metadata.uid },
      reason,
      message,
      type,
      source: { component: 'kubelet' },
      firstTimestamp: now(),
      lastTimestamp: now(),
      count: 1,
    });
  };

  /** What a private registry says to a pull without the right credentials (as containerd reports it); undefined when allowed. */
  const pullDenied = (pod: KubeObject, repo: string): string | undefined => {
    const auth = options.registryAuth;
    if (!auth || !repo.startsWith(`${auth.host}/`)) return undefined;
    const want = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
    for (const ref of pod.spec.imagePullSecrets ?? []) {
      const secret = store.get('secrets', pod.metadata.namespace!, ref.name);
      if (secret?.type !== 'kubernetes.io/dockerconfigjson') continue;
      const data = (secret.data ?? {}) as Record<string, string>;
      const config = JSON.parse(Buffer.from(data['.dockerconfigjson'] ?? '', 'base64').toString('utf8') || '{}');
      if (config.auths?.[auth.host]?.auth === want) return undefined;
    }
    return `failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://${auth.host}/token: 401 Unauthorized`;
  };

  async function start(pod: KubeObject): Promise<void> {
    const uid = pod.metadata.uid!;
    let markExited = () => {};
    const r: Running = { log: [], timers: [], exited: new Promise<void>((resolve) => (markExited = resolve)) };
    running.set(uid, r);
    const container = pod.spec.containers[0];
    const image: string = container.image;
    const repo = image.replace(/@sha256:[a-f0-9]+$/, '').replace(/:[^:/]+$/, '');
    const tag = /:([^:/]+)$/.exec(image.replace(/@sha256:[a-f0-9]+$/, ''))?.[1] ?? 'latest';
    if (options.unschedulable) {
      setStatus(pod, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] });
      event(
        pod,
        'Warning',
        'FailedScheduling',
        '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
      );
      return markExited();
    }
    setStatus(pod, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] });
    event(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to fake-node`);
    await new Promise((res) => r.timers.push(setTimeout(res, options.startDelayMs ?? 50)));
    if (!running.has(uid)) return markExited();
    const pinned = /@(sha256:[a-f0-9]+)$/.exec(image)?.[1];
    const denied = pullDenied(pod, repo);
    const script = denied || (pinned && options.digests?.[repo] !== pinned) ? undefined : options.images[repo];
    if (!script) {
      const why = denied ?? `${pinned ? `${repo}@${pinned}` : `${repo}:${tag}`}: not found`;
      const message = `Failed to pull image "${image}": rpc error: code = ${denied ? 'Unknown' : 'NotFound'} desc = failed to pull and unpack image "${image}": ${why}`;
      event(pod, 'Warning', 'Failed', message);
      event(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
      setStatus(pod, {
        containerStatuses: [
          {
            name: container.name,
            ready: false,
            restartCount: 0,
            image,
            imageID: '',
            state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } },
          },
        ],
      });
      return markExited();
    }
    const port = Number(container.ports?.[0]?.containerPort ?? 8080);
    r.ip = await freeIp(port);
    if (!running.has(uid)) return markExited();
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOST: r.ip, KILN_IMAGE_VERSION: tag };
    for (const e of container.env ?? []) {
      if (typeof e.value === 'string') env[e.name] = e.value;
      // The downward API, for the fields an app asks about itself.
      const field = e.valueFrom?.fieldRef?.fieldPath;
      if (field === 'metadata.name') env[e.name] = pod.metadata.name;
      if (field === 'metadata.namespace') env[e.name] = pod.metadata.namespace ?? '';
      if (field === 'metadata.uid') env[e.name] = uid;
    }
    // A container with a command (a Job's) runs it by a real `sh` (see fake-jobs.ts); one without runs the image's script.
    const shell = shellCommand(container);
    if (typeof shell === 'string') {
      event(pod, 'Warning', 'Failed', `Error: ${shell}`);
      setStatus(pod, {
        containerStatuses: [{ name: container.name, ready: false, restartCount: 0, image, imageID: image, state: { waiting: { reason: 'CreateContainerError', message: shell } } }],
      });
      return markExited();
    }
    const child = shell
      ? spawn(shell.file, shell.args, { cwd: shell.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    r.child = child;
    logs.write(uid, 'o', '');
    const collect = (stream: 'o' | 'e') => (chunk: Buffer) => {
      r.log.push(chunk.toString('utf8'));
      if (r.log.length > 2000) r.log.splice(0, r.log.length - 2000);
      logs.write(uid, stream, chunk.toString('utf8'));
    };
    child.stdout?.on('data', collect('o'));
    child.stderr?.on('data', collect('e'));
    child.on('close', () => {
      logs.end(uid);
      shell?.cleanup();
    });
    event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    event(pod, 'Normal', 'Started', `Started container ${container.name}`);
    const startedAt = now();
    setStatus(pod, {
      phase: 'Running',
      podIP: r.ip,
      podIPs: [{ ip: r.ip }],
      hostIP: '127.0.0.1',
      startTime: startedAt,
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
      ],
      containerStatuses: [{ name: container.name, ready: false, restartCount: 0, image, imageID: image, started: true, state: { running: { startedAt } } }],
    });
    child.on('exit', (code) => {
      for (const t of r.timers) clearTimeout(t);
      const terminated = { exitCode: code ?? 137, reason: code === 0 ? 'Completed' : 'Error', finishedAt: now() };
      const phase = pod.spec.restartPolicy === 'Always' || !pod.spec.restartPolicy ? 'Failed' : code === 0 ? 'Succeeded' : 'Failed';
      if (running.has(uid))
        setStatus(pod, {
          phase,
          conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted' }],
          containerStatuses: [{ name: container.name, ready: false, restartCount: 0, image, imageID: image, state: { terminated } }],
        });
      if (r.ip) usedIps.delete(r.ip);
      markExited();
    });
    const probe = container.readinessProbe?.httpGet;
    if (!probe) return;
    let ready = false;
    let failures = 0;
    const check = async () => {
      if (!running.has(uid) || child.exitCode !== null) return;
      const answer = options.readiness === 'never' ? { ok: false, why: 'HTTP probe failed with statuscode: 503' } : await httpProbe(r.ip!, Number(probe.port), probe.path ?? '/');
      const ok = answer.ok;
      if (ok !== ready) {
        ready = ok;
        setStatus(pod, {
          conditions: [
            { type: 'PodScheduled', status: 'True' },
            { type: 'Ready', status: ok ? 'True' : 'False', ...(ok ? {} : { reason: 'ContainersNotReady' }) },
          ],
          containerStatuses: [{ name: container.name, ready: ok, restartCount: 0, image, imageID: image, started: true, state: { running: { startedAt } } }],
        });
      }
      if (!ok && (failures += 1) % 10 === 1) event(pod, 'Warning', 'Unhealthy', `Readiness probe failed: ${answer.why}`);
      r.timers.push(setTimeout(() => void check(), probeMs));
    };
    r.timers.push(setTimeout(() => void check(), probeMs));
  }

  return {
    start: (pod: KubeObject) => void start(pod).catch(() => undefined),
    /** SIGTERM, then SIGKILL after the grace period; resolves when the process is gone. */
    async stop(uid: string, graceMs = 5000): Promise<void> {
      const r = running.get(uid);
      if (!r) return;
      running.delete(uid);
      for (const t of r.timers) clearTimeout(t);
      if (r.child && r.child.exitCode === null) {
        r.child.kill('SIGTERM');
        const kill = setTimeout(() => r.child?.kill('SIGKILL'), graceMs);
        await r.exited;
        clearTimeout(kill);
      }
    },
    /** Every container's log, line by line with stamps (the log endpoint reads it). */
    logs,
    log(uid: string): string | undefined {
      return running.get(uid)?.log.join('');
    },
    isRunning: (uid: string) => running.has(uid),
    async stopAll(): Promise<void> {
      await Promise.all([...running.keys()].map((uid) => this.stop(uid, 500)));
    },
  };
}
export type FakeKubelet = ReturnType<typeof createKubelet>;

/** One HTTP readiness check, failing in the kubelet's words (the status the app gave, or why nothing answered). */
async function httpProbe(ip: string, port: number, path: string): Promise<{ ok: boolean; why: string }> {
  const url = `http://${ip}:${port}${path}`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return { ok: res.status >= 200 && res.status < 400, why: `HTTP probe failed with statuscode: ${res.status}` };
  } catch (err) {
    return { ok: false, why: `Get "${url}": ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}` };
  }
}
