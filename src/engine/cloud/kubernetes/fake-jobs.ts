import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { FakeStore, KubeObject } from './fake-store';

/**
 * What the fake does for Jobs, faithfully enough for Kiln's run-job stage to be tested against it:
 * the Job controller (one pod from the template, `status.conditions` Complete/Failed with their
 * reasons, `succeeded`/`failed` counts, `ttlSecondsAfterFinished`), container logs as the kubelet
 * keeps them (one line per write, stamped RFC 3339 with nanoseconds, stdout and stderr merged) and
 * the log endpoint's follow/timestamps/sinceTime/tailLines/limitBytes.
 *
 * It runs no image. A container with a command must be `/bin/sh -c SCRIPT` (or `sh -c`): the
 * script is run by this machine's real `sh` in a fresh temporary directory standing in for the
 * image's filesystem, with only the pod's environment and PATH. No network is isolated and nothing
 * of the image is in it: tests give scripts that need only the shell (echo, sleep, exit).
 */

export type Line = { at: string; text: string };
export interface Book {
  lines: Line[];
  partial: Record<'o' | 'e', string>;
  ended: boolean;
  followers: Set<() => void>;
}

let lastNanos = 0n;
/** RFC 3339 with nanoseconds, strictly increasing, as CRI log files stamp each line. */
function stamp(): string {
  const wall = BigInt(Date.now()) * 1_000_000n;
  lastNanos = wall > lastNanos ? wall : lastNanos + 1n;
  const seconds = Number(lastNanos / 1_000_000_000n);
  const nanos = String(lastNanos % 1_000_000_000n).padStart(9, '0');
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${nanos}Z`;
}

/** Every container's log by pod uid; kept until the fake closes, as a node keeps a dead container's log until the pod goes. */
export function createPodLogs() {
  const books = new Map<string, Book>();
  const book = (uid: string): Book => {
    let b = books.get(uid);
    if (!b) books.set(uid, (b = { lines: [], partial: { o: '', e: '' }, ended: false, followers: new Set() }));
    return b;
  };
  const wake = (b: Book) => {
    for (const f of b.followers) f();
  };
  return {
    write(uid: string, stream: 'o' | 'e', chunk: string): void {
      const b = book(uid);
      const parts = (b.partial[stream] + chunk).split('\n');
      b.partial[stream] = parts.pop() ?? '';
      for (const text of parts) b.lines.push({ at: stamp(), text });
      if (parts.length > 0) wake(b);
    },
    end(uid: string): void {
      const b = book(uid);
      for (const s of ['o', 'e'] as const) if (b.partial[s]) b.lines.push({ at: stamp(), text: b.partial[s] });
      b.partial = { o: '', e: '' };
      b.ended = true;
      wake(b);
    },
    text(uid: string): string | undefined {
      const b = books.get(uid);
      return b && b.lines.map((l) => `${l.text}\n`).join('');
    },
    book: (uid: string) => books.get(uid),
  };
}
export type PodLogs = ReturnType<typeof createPodLogs>;

/** Why a pod's log cannot be read yet, as the API server says it (400); undefined once its container has started. */
export function logRefusal(pod: KubeObject): string | undefined {
  const status = pod.status?.containerStatuses?.[0];
  const name = pod.spec?.containers?.[0]?.name ?? 'job';
  if (status?.state?.running || status?.state?.terminated) return undefined;
  const waiting = status?.state?.waiting?.reason;
  if (waiting === 'ImagePullBackOff' || waiting === 'ErrImagePull')
    return `container "${name}" in pod "${pod.metadata.name}" is waiting to start: trying and failing to pull image`;
  return `container "${name}" in pod "${pod.metadata.name}" is waiting to start: ${waiting ?? 'ContainerCreating'}`;
}

/**
 * `GET …/pods/NAME/log`: the lines (stamped when `timestamps=true`) at or after `sinceTime`, the
 * last `tailLines`, at most `limitBytes`; with `follow=true` the answer stays open and carries each
 * new line until the container ends. The API server takes sinceTime to the second (metav1.Time), so
 * a reader resuming mid-second gets lines it has already seen and must skip them itself.
 */
export function serveLog(logs: PodLogs, pod: KubeObject, url: URL, res: ServerResponse, refuse: (code: number, reason: string, message: string) => void): void {
  const refused = logRefusal(pod);
  const b = logs.book(pod.metadata.uid!);
  if (refused || !b) return refuse(400, 'BadRequest', refused ?? `container in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`);
  const q = url.searchParams;
  const timestamps = q.get('timestamps') === 'true';
  const since = q.get('sinceTime') ? Date.parse(q.get('sinceTime')!) : Number.NaN;
  const sinceSecond = Number.isFinite(since) ? new Date(Math.floor(since / 1000) * 1000).toISOString().slice(0, 19) : undefined;
  const tail = Number(q.get('tailLines') ?? 0);
  const limit = Number(q.get('limitBytes') ?? 0);
  const render = (l: Line) => (timestamps ? `${l.at} ${l.text}\n` : `${l.text}\n`);
  let lines = b.lines.filter((l) => !sinceSecond || l.at.slice(0, 19) >= sinceSecond);
  if (tail > 0) lines = lines.slice(-tail);
  let sent = 0;
  const write = (text: string): boolean => {
    if (limit > 0 && sent + Buffer.byteLength(text) > limit) {
      res.write(Buffer.from(text).subarray(0, limit - sent));
      res.end();
      return false;
    }
    sent += Buffer.byteLength(text);
    res.write(text);
    return true;
  };
  res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
  for (const l of lines) if (!write(render(l))) return;
  if (q.get('follow') !== 'true' || b.ended) return void res.end();
  let next = b.lines.length;
  const more = () => {
    for (; next < b.lines.length; next++) if (!write(render(b.lines[next]!))) return b.followers.delete(more);
    if (b.ended) {
      b.followers.delete(more);
      res.end();
    }
  };
  b.followers.add(more);
  res.on('close', () => b.followers.delete(more));
}

/**
 * The container's command as the fake can run it: `sh -c SCRIPT` in a fresh directory; undefined
 * when it has none (the image's own entrypoint: the kubelet runs the image's script instead), an
 * error message for a command the fake cannot run.
 */
export function shellCommand(container: {
  command?: string[];
  args?: string[];
  workingDir?: string;
}): { file: string; args: string[]; cwd: string; cleanup: () => void } | string | undefined {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (!container.command?.length) return undefined;
  if (!['/bin/sh', 'sh'].includes(argv[0]!) || argv[1] !== '-c' || typeof argv[2] !== 'string')
    return `failed to create containerd task: the fake kubelet runs only "/bin/sh -c SCRIPT" commands, not ${JSON.stringify(argv)}`;
  const root = mkdtempSync(join(tmpdir(), 'kiln-fake-pod-'));
  // The image's working directory, inside the pod's own directory.
  const cwd = join(root, posix.resolve('/', container.workingDir ?? '/'));
  mkdirSync(cwd, { recursive: true });
  return { file: '/bin/sh', args: ['-c', argv[2]!, ...argv.slice(3)], cwd, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Spawns a job container's shell; its output goes where the kubelet collects it. */
export function spawnShell(cmd: { file: string; args: string[]; cwd: string }, env: Record<string, string>): ChildProcess {
  return spawn(cmd.file, cmd.args, { cwd: cmd.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

const owned = (pod: KubeObject, owner: KubeObject) => pod.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid) === true;
const terminating = (pod: KubeObject) => pod.metadata.deletionTimestamp !== undefined;

/**
 * The Job controller for `parallelism: 1, completions: 1` Jobs (what Kiln makes): a pod from the
 * template while none is active and the back-off limit is not spent; Complete once one pod
 * succeeded, Failed (BackoffLimitExceeded) once more pods failed than `backoffLimit`; a finished Job
 * is deleted `ttlSecondsAfterFinished` after it finished (checked whenever the controllers run).
 */
export function reconcileJob(store: FakeStore, job: KubeObject, startPod: (pod: KubeObject) => void): void {
  const ns = job.metadata.namespace!;
  const done = job.status?.conditions?.find((c: { type: string; status: string }) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (done) {
    const ttl = job.spec.ttlSecondsAfterFinished;
    if (typeof ttl === 'number' && Date.parse(job.status.completionTime ?? done.lastTransitionTime) + ttl * 1000 <= Date.now()) store.remove('jobs.batch', ns, job.metadata.name);
    return;
  }
  const pods = store.list('pods', ns).filter((p) => owned(p, job));
  const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').length;
  const failed = pods.filter((p) => p.status?.phase === 'Failed').length;
  const active = pods.filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase) && !terminating(p)).length;
  const limit = Number(job.spec.backoffLimit ?? 6);
  const at = new Date().toISOString();
  const conditions =
    succeeded > 0
      ? [{ type: 'Complete', status: 'True', lastProbeTime: at, lastTransitionTime: at }]
      : failed > limit
        ? [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: at, lastTransitionTime: at }]
        : undefined;
  let created = 0;
  if (!conditions && active === 0) {
    const uidLabels = { 'controller-uid': job.metadata.uid!, 'job-name': job.metadata.name };
    const pod = store.create('pods', ns, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${job.metadata.name}-`,
        labels: {
          ...job.spec.template.metadata?.labels,
          ...uidLabels,
          'batch.kubernetes.io/controller-uid': job.metadata.uid!,
          'batch.kubernetes.io/job-name': job.metadata.name,
        },
        annotations: { ...job.spec.template.metadata?.annotations },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid!, controller: true }],
      },
      spec: structuredClone(job.spec.template.spec),
    });
    startPod(pod);
    created = 1;
  }
  const status = {
    startTime: job.status?.startTime ?? at,
    ...(conditions ? { completionTime: at, conditions } : { active: active + created }),
    ...(succeeded ? { succeeded } : {}),
    ...(failed ? { failed } : {}),
  };
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const { startTime: _a, completionTime: _b, conditions: _c, ...was } = job.status ?? {};
  const { startTime: _d, completionTime: _e, conditions: _f, ...now } = status as Record<string, unknown>;
  if (
    !job.status ||
    !same(was, now) ||
    !same(
      job.status.conditions?.map((c: { type: string }) => c.type),
      conditions?.map((c) => c.type),
    )
  )
    store.update('jobs.batch', ns, { ...job, metadata: { ...job.metadata, resourceVersion: undefined as never }, status });
}
