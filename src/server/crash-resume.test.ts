import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signInToKiln, TEST_SETUP_TOKEN } from '../engine/test-sign-in';
import { freePort } from '../engine/free-port';
import { stopChildren } from '../engine/test-children';

// A real Kiln process, killed with SIGKILL in the middle of an execution, then started again on
// the same data directory: the execution must finish, and each job must have run exactly once.
const root = resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
// A graceful stop at the end: Kiln then stops the instances it runs (the demo's first release
// launches some); a SIGKILL would leave them running.
afterEach(async () => {
  await stopChildren(children);
}, 30_000);

async function startKiln(dataDir: string, port: number): Promise<ChildProcess> {
  // `node --import tsx`: one process, so SIGKILL kills Kiln itself (the tsx CLI would leave its child running).
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    // No demo: this is about the engine's jobs, and the demo's bake and instances would only add load.
    env: { ...process.env, KILN_DATA: dataDir, PORT: String(port), KILN_DASHBOARD: 'off', KILN_DEMO: 'false', LOG_LEVEL: 'error', KILN_SETUP_TOKEN: TEST_SETUP_TOKEN },
    stdio: 'ignore',
  });
  children.push(child);
  // Generous: the machine is shared with other suites, and the demo's first release starts with Kiln.
  for (let i = 0; i < 600; i += 1) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Kiln did not start in 60 s');
}

let token = '';

async function api(port: number, method: string, path: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Record<string, unknown> & { stages: Array<{ refId: string; status: string }> };
}

async function until(port: number, id: string, ok: (e: Awaited<ReturnType<typeof api>>) => boolean) {
  for (let i = 0; i < 300; i += 1) {
    const e = await api(port, 'GET', `/api/executions/${id}`);
    if (ok(e)) return e;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`execution ${id} never got there`);
}

/** A Kiln on a fresh data directory, signed in, with project `lab` and application `storefront`. */
async function labKiln(prefix: string): Promise<{ dataDir: string; port: number; kiln: ChildProcess }> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const port = await freePort();
  const kiln = await startKiln(dataDir, port);
  token = await signInToKiln(`http://127.0.0.1:${port}`);
  await api(port, 'POST', '/api/projects', { name: 'lab', displayName: 'Lab', ownerEmail: 'ops@example.com' });
  await api(port, 'POST', '/api/applications', { name: 'storefront', project: 'lab', ownerEmail: 'ops@example.com' });
  return { dataDir, port, kiln };
}

describe('a Kiln process killed mid-execution', () => {
  it('resumes after restart and runs every stage once', { timeout: 180_000 }, async () => {
    const lab = await labKiln('kiln-crash-');
    const { dataDir, port } = lab;
    let { kiln } = lab;

    const pipeline = await api(port, 'POST', '/api/applications/storefront/pipelines', {
      name: 'Crash test',
      stages: [
        // Jobs cannot write outside their own directories (KILN_DATA is hidden from them): each one's run shows in the log.
        { refId: 'before', type: 'runJob', name: 'Before', config: { command: 'echo before' } },
        { refId: 'wait', type: 'wait', name: 'Wait', requisiteStageRefIds: ['before'], config: { seconds: 4 } },
        { refId: 'after', type: 'runJob', name: 'After', requisiteStageRefIds: ['wait'], config: { command: 'echo after' } },
      ],
    });
    const { id } = await api(port, 'POST', `/api/pipelines/${String(pipeline.id)}/executions`, {});
    await until(port, String(id), (e) => e.stages[1]?.status === 'RUNNING');

    kiln.kill('SIGKILL');
    await new Promise((r) => kiln.once('exit', r));
    kiln = await startKiln(dataDir, port);

    const done = await until(port, String(id), (e) => e.status === 'SUCCEEDED' || e.status === 'TERMINAL');
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stages.map((s) => s.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    const logs = (await api(port, 'GET', `/api/executions/${String(id)}/logs`)) as unknown as { lines: Array<{ line: string }> };
    expect(logs.lines.map((l) => l.line)).toEqual(['before', 'after']);
  });

  it('adopts a job that was running when Kiln was killed: it ends once, succeeded, with all its output', { timeout: 180_000 }, async () => {
    const lab = await labKiln('kiln-crash-job-');
    const { dataDir, port } = lab;
    let { kiln } = lab;
    // Jobs cannot see KILN_DATA (the sandbox hides it): each job counts its runs in its own directory,
    // <jobs root>/<execution>/<stage>, which the test reads from outside.
    let marker = '';
    const pipeline = await api(port, 'POST', '/api/applications/storefront/pipelines', {
      name: 'Long job',
      stages: [
        { refId: 'job', type: 'runJob', name: 'Long', config: { command: 'echo start >> ran.txt; echo before the crash; sleep 6; echo end >> ran.txt; echo after the crash' } },
      ],
    });
    const { id } = await api(port, 'POST', `/api/pipelines/${String(pipeline.id)}/executions`, {});
    marker = join(tmpdir(), 'kiln-jobs', String(id), 'job', 'ran.txt');
    for (let i = 0; i < 300 && !(existsSync(marker) && readFileSync(marker, 'utf8').includes('start')); i += 1) await new Promise((r) => setTimeout(r, 100));

    kiln.kill('SIGKILL');
    await new Promise((r) => kiln.once('exit', r));
    kiln = await startKiln(dataDir, port);

    const done = await until(port, String(id), (e) => e.status === 'SUCCEEDED' || e.status === 'TERMINAL');
    expect(done.stages[0]).toMatchObject({ status: 'SUCCEEDED', outputs: { exitCode: 0 } });
    expect(readFileSync(marker, 'utf8')).toBe('start\nend\n');
    const logs = (await api(port, 'GET', `/api/executions/${String(id)}/logs`)) as unknown as { lines?: Array<{ line: string }> };
    expect(JSON.stringify(logs)).toContain('before the crash');
    expect(JSON.stringify(logs)).toContain('after the crash');
  });
});
