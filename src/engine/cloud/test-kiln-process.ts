import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { signInToKiln, TEST_SETUP_TOKEN } from '../test-sign-in';
import { pidsWithEnv } from './proc-env';

// A real Kiln (npm start's main.ts) in a process of its own, for tests that SIGKILL and restart it.
const root = resolve(import.meta.dirname, '../../..');

export { pidsWithEnv };

/** Instance processes with one of these ids. */
export const instancePids = (ids: ReadonlySet<string>) => pidsWithEnv('KILN_INSTANCE_ID', (id) => ids.has(id));
/** Load-balancer processes of the Kiln whose KILN_DATA is `dataDir` (only the one named `name`, when given). */
export function balancerPids(dataDir: string, name?: string): number[] {
  const ours = pidsWithEnv('KILN_BALANCERS_DIR', (dir) => dir.startsWith(`${dataDir}/`));
  return name === undefined ? ours : ours.filter((pid) => pidsWithEnv('KILN_LOAD_BALANCER', (n) => n === name).includes(pid));
}

export async function startKiln(dataDir: string, port: number): Promise<ChildProcess> {
  // Node with tsx's loader, not the tsx CLI: the CLI is a parent process, and SIGKILL must hit Kiln itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    // No demo: its first release (a bake, four instances, two 10 s pauses) would run beside the test
    // for nothing; the tests make the application and account they deploy to (addStorefront).
    env: { ...process.env, KILN_DATA: dataDir, PORT: String(port), KILN_DASHBOARD: 'off', KILN_DEMO: 'false', LOG_LEVEL: 'error', KILN_SETUP_TOKEN: TEST_SETUP_TOKEN },
    stdio: 'ignore',
    // Its own process group: a crash takes Kiln's helpers (a bake's boot check) with it, as a crashed
    // machine would; instances and balancers run in groups of their own and survive, which is what is tested.
    detached: true,
  });
  for (let i = 0; i < 600; i += 1) {
    if (
      await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    if (child.exitCode !== null) throw new Error(`Kiln exited with code ${child.exitCode} while starting`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Not handed to the caller, so no afterEach would stop it: a Kiln too slow to start must not outlive the test.
  process.kill(-child.pid!, 'SIGKILL');
  throw new Error('Kiln did not start in 60 s');
}

/** SIGKILL to Kiln's whole process group (a crash); resolves once it is gone. */
export async function crashKiln(kiln: ChildProcess): Promise<void> {
  const exited = new Promise((r) => kiln.once('exit', r));
  process.kill(-kiln.pid!, 'SIGKILL');
  await exited;
}

/** An API client for one Kiln: the first call signs in through the real setup flow; the token outlives restarts (it is in the database). */
export function kilnApi(port: () => number) {
  let token = '';
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
    token ||= await signInToKiln(`http://127.0.0.1:${port()}`);
    const res = await fetch(`http://127.0.0.1:${port()}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as T;
  };
}

/** What the tests deploy to, made through the API on a fresh Kiln: application storefront and a local 'prod' account in local-east. */
export async function addStorefront(api: ReturnType<typeof kilnApi>): Promise<void> {
  const made = [
    await api('POST', '/api/projects', { name: 'lab', displayName: 'Lab', ownerEmail: 'ops@example.com' }),
    await api('POST', '/api/applications', { name: 'storefront', project: 'lab', ownerEmail: 'ops@example.com' }),
    await api('POST', '/api/accounts', { name: 'prod', provider: 'local', environment: 'prod', regions: ['local-east'] }),
  ];
  const refused = made.find((m) => 'error' in m);
  if (refused) throw new Error(`Kiln refused the storefront set-up: ${JSON.stringify(refused)}`);
}

export async function poll<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
