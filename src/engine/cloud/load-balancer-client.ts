import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive, terminate } from './instance-process';
import { pidsWithEnv } from './proc-env';
import type { GroupTraffic, RouteGroup } from './load-balancer-proxy';
import type { StartedMessage, StartMessage } from './load-balancer-process-main';

/** What Kiln keeps of a running balancer process, in `<cloud dir>/balancers/<hash>.json` (mode 600). */
interface BalancerRecord {
  key: string;
  name: string;
  pid: number;
  port: number;
  controlPort: number;
  token: string;
}

const ENTRY = fileURLToPath(new URL('./load-balancer-process.mjs', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const CONTROL_TIMEOUT_MS = 5000;
const ADOPT_TRIES = 4;

export const balancersDir = (dataDir: string) => join(dataDir, 'balancers');
const recordFile = (dataDir: string, key: string) => join(balancersDir(dataDir), `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);

/**
 * A load balancer of the local cloud: a reverse proxy in its own detached process (see
 * load-balancer-process-main.ts), driven over its token-guarded control port. Every operation on
 * one balancer goes out in order, one at a time, so a disable never overtakes the enable before it
 * and a question asked after a route change is answered with the new routes in force.
 */
function handle(dataDir: string, r: BalancerRecord, lastSeq = 0) {
  let queue: Promise<unknown> = Promise.resolve();
  let seq = lastSeq;
  let sent = '';
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${r.controlPort}${path}`, {
      method,
      headers: { authorization: `Bearer ${r.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`load balancer ${r.name}: ${method} ${path} answered HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const inOrder = <T>(op: () => Promise<T>): Promise<T> => {
    const next = queue.then(op);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    pid: r.pid,
    port: r.port,
    /** Replaces the routes at once; weights keep their round-robin state per group. */
    route(groups: RouteGroup[]): Promise<void> {
      // Every health tick routes again; only a change goes over the wire.
      const text = JSON.stringify(groups);
      if (text === sent) return inOrder(async () => {});
      sent = text;
      seq += 1;
      const body = { seq, groups };
      return inOrder(() => call<unknown>('PUT', '/routes', body)).then(
        () => undefined,
        (err: unknown) => {
          sent = ''; // sent again on the next tick
          throw err;
        },
      );
    },
    /** Requests sent to the group and not answered yet (0 means it has drained). */
    inFlight(serverGroup: string): Promise<number> {
      return inOrder(() => call<{ inFlight: number }>('GET', `/in-flight?serverGroup=${encodeURIComponent(serverGroup)}`)).then((x) => x.inFlight);
    },
    traffic(): Promise<Record<string, GroupTraffic>> {
      return inOrder(() => call('GET', '/traffic'));
    },
    /** Closes pooled connections to an instance that is going away. */
    forgetInstance(instanceId: string): Promise<void> {
      return inOrder(() => call('POST', '/forget', { instanceId }));
    },
    /** Stops the balancer process for good (Kiln shuts down, or the balancer is no longer wanted). */
    async close(): Promise<void> {
      await inOrder(() => call('POST', '/stop')).catch(() => undefined);
      const deadline = Date.now() + 6000;
      while (isAlive(r.pid) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 25));
      if (isAlive(r.pid)) await terminate(r.pid, 1000);
      rmSync(recordFile(dataDir, r.key), { force: true });
    },
  };
}
export type LoadBalancerHandle = ReturnType<typeof handle>;

/** Starts a balancer process serving on `port` (a new port when that one is taken). */
export async function startLoadBalancer(dataDir: string, key: string, name: string, port: number): Promise<LoadBalancerHandle> {
  const dir = balancersDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('hex');
  const log = openSync(recordFile(dataDir, key).replace(/\.json$/, '.log'), 'a', 0o600);
  const child = (() => {
    try {
      // Detached: its own session and process group, so a SIGKILL of Kiln's group leaves it serving.
      // A clean environment: the balancer sees nothing of Kiln's (database URLs, secrets).
      return spawn(process.execPath, [ENTRY], {
        cwd: dir,
        detached: true,
        stdio: ['ignore', log, log, 'ipc'],
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', KILN_LOAD_BALANCER: name, KILN_BALANCERS_DIR: dir },
      });
    } finally {
      closeSync(log);
    }
  })();
  const started = await new Promise<StartedMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`load balancer ${name} did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.once('message', (m: StartedMessage) => {
      clearTimeout(timer);
      resolve(m);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`load balancer ${name} exited with code ${code} while starting`)));
    child.send({ name, port, token } satisfies StartMessage);
  }).catch(async (err: unknown) => {
    if (child.pid) await terminate(child.pid, 1000);
    throw err;
  });
  child.removeAllListeners('exit');
  if (child.connected) child.disconnect();
  child.unref();
  if ('error' in started) throw new Error(`load balancer ${name}: ${started.error}`);
  const record: BalancerRecord = { key, name, pid: started.pid, port: started.port, controlPort: started.controlPort, token };
  writeFileSync(recordFile(dataDir, key), JSON.stringify(record), { mode: 0o600 });
  return handle(dataDir, record);
}

function readRecord(file: string): BalancerRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BalancerRecord;
  } catch {
    return undefined;
  }
}

/**
 * Takes back the balancer process an earlier Kiln left serving: it counts as that balancer only if
 * it answers its control port with the recorded token, name and pid (a reused pid or port cannot).
 */
export async function adoptLoadBalancer(dataDir: string, key: string): Promise<LoadBalancerHandle | undefined> {
  const file = recordFile(dataDir, key);
  const r = readRecord(file);
  if (!r || r.key !== key || !isAlive(r.pid)) {
    rmSync(file, { force: true });
    return undefined;
  }
  const ask = () =>
    fetch(`http://127.0.0.1:${r.controlPort}/hello`, { headers: { authorization: `Bearer ${r.token}` }, signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) }).then(
      (res) => (res.ok ? (res.json() as Promise<{ name: string; pid: number; port: number; seq: number }>) : undefined),
      () => 'unanswered' as const,
    );
  // A live balancer that is slow to answer (a loaded machine, a Kiln restarting under load) is asked
  // again: giving up on it would leave it serving stale routes beside a new one on another port.
  let hello = await ask();
  for (let tries = 1; hello === 'unanswered' && tries < ADOPT_TRIES && isAlive(r.pid); tries += 1) hello = await ask();
  if (hello === 'unanswered') hello = undefined;
  if (hello?.name !== r.name || hello.pid !== r.pid || hello.port !== r.port) {
    // A balancer of ours that will not answer is stopped before a new one takes its place: left
    // running, it would go on serving stale routes, unmanaged, past every later stop of Kiln.
    if (isOurBalancer(r.pid, dataDir, r.name)) await terminate(r.pid, 1000);
    rmSync(file, { force: true });
    return undefined;
  }
  // Its routes stay as the earlier Kiln left them until this one has checked the instances again.
  return handle(dataDir, r, hello.seq);
}

/** Whether `pid` is this data directory's balancer process `name` (its environment says so; a reused pid's does not). */
function isOurBalancer(pid: number, dataDir: string, name: string): boolean {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return env.includes(`KILN_BALANCERS_DIR=${balancersDir(dataDir)}`) && env.includes(`KILN_LOAD_BALANCER=${name}`);
  } catch {
    return false;
  }
}

/** Stops balancer processes an earlier Kiln left running whose balancer is no longer wanted. */
export async function stopLeftoverBalancers(dataDir: string, wanted: ReadonlySet<string>): Promise<void> {
  let files: string[] = [];
  try {
    files = readdirSync(balancersDir(dataDir)).filter((f) => f.endsWith('.json'));
  } catch {
    // no balancers directory: none was ever started here
    return;
  }
  const kept = new Set<number>();
  for (const f of files) {
    const r = readRecord(join(balancersDir(dataDir), f));
    if (r && wanted.has(r.key)) kept.add(r.pid);
    if (!r || wanted.has(r.key)) continue;
    const b = await adoptLoadBalancer(dataDir, r.key);
    if (b) await b.close();
  }
  // A Kiln that crashed while a balancer started never wrote its record: that process serves no
  // routes Kiln knows, holds its port and would outlive every later stop. It is ours by its environment.
  for (const pid of pidsWithEnv('KILN_BALANCERS_DIR', (dir) => dir === balancersDir(dataDir))) {
    if (!kept.has(pid)) await terminate(pid, 1000);
  }
}
