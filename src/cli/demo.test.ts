import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signInToKiln } from '../engine/test-sign-in';
import { freePort } from '../engine/free-port';

// The first ten minutes, for real: the README's start command on a fresh data directory, then the
// demo pipeline driven through the `kiln` CLI to its judgment, approved, and the production load
// balancer checked to serve the version the run baked. Nothing is stubbed: it bakes, launches
// instance processes and routes traffic on 127.0.0.1.
const root = resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'kiln-demo-test-'));
let kilnProcess: ChildProcess | undefined;
let output = '';

/** Whether any process of the group (npm, sh, tsx, Kiln) is still there. */
const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

afterAll(async () => {
  const pgid = kilnProcess?.pid;
  if (pgid && groupAlive(pgid)) {
    // SIGTERM to the whole group (npm → tsx → node). Kiln stops its instances before it exits; npm
    // exits at once, so the wait is for the group, not for npm: deleting the data dir under a Kiln
    // still shutting down would crash it and orphan its instances.
    process.kill(-pgid, 'SIGTERM');
    for (let i = 0; i < 300 && groupAlive(pgid); i += 1) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  }
  rmSync(scratch, { recursive: true, force: true });
}, 40_000);

/** `npm start` as the README says, in the repository, with only the data dir and port chosen. */
async function startKiln(port: number): Promise<{ url: string; setupToken: string }> {
  // The production rollout's three traffic steps with 1 s pauses instead of 10 s: the test checks where
  // traffic ends up, not how long a watcher has to look at it (20 s less for each of its two releases).
  const env: NodeJS.ProcessEnv = { ...process.env, KILN_DATA: join(scratch, 'data'), PORT: String(port), LOG_LEVEL: 'warn', KILN_DEMO_STEP_DELAY_SEC: '1' };
  // The embedded database, whatever the surrounding test run uses; and no dashboard build (the
  // test drives the CLI, and building the SPA here would race the build step of `npm test`).
  delete env.DATABASE_URL;
  delete env.KILN_SETUP_TOKEN;
  env.KILN_DASHBOARD = 'off';
  kilnProcess = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  kilnProcess.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  kilnProcess.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const link = /No admin yet\. Create one \(link valid 24 h, once\): (http:\/\/\S+)\/setup#token=(\S+)/.exec(output);
    if (link) return { url: link[1]!, setupToken: link[2]! };
    if (kilnProcess.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Kiln did not print its setup link:\n${output}`);
}

const home = join(scratch, 'home');

/** The real `kiln` bin, as a user's shell runs it (config saved under a throwaway HOME). */
function kiln(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((ok) => {
    execFile(process.execPath, [join(root, 'src/cli/kiln.mjs'), ...args], { cwd: scratch, env: { PATH: process.env.PATH, HOME: home } }, (error, out, err) =>
      ok({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

async function versionsServedBy(address: string, requests: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < requests; i += 1) seen.push((await (await fetch(`http://${address}/version`)).text()).trim());
  return seen;
}

describe('the demo, from the README start command through the CLI', () => {
  it('releases v1 on first start, then takes v2 through staging, a smoke test and an approval to production', { timeout: 240_000 }, async () => {
    const { url, setupToken } = await startKiln(await freePort());
    expect(output).toMatch(/Seeded the demo project \(first start\)\./);

    // The newcomer's first steps: the setup link makes the admin, who makes an API token for the CLI.
    const token = await signInToKiln(url, setupToken);
    const login = await kiln('login', '--url', url, '--token', token);
    expect(login.code, login.err).toBe(0);

    // First start already released v1 for real (the judgment skipped by its condition for Kiln's own run).
    const first = JSON.parse((await kiln('execution', 'list', 'storefront', '--json')).out) as { executions: Array<{ id: string; trigger: { user: string } }> };
    expect(first.executions.map((e) => e.trigger.user)).toEqual(['kiln-demo']);
    const firstDone = await kiln('execution', 'wait', first.executions[0]!.id, '--timeout', '150');
    expect(firstDone.code, `${firstDone.out}${firstDone.err}\n${output}`).toBe(0);

    const balancers = (await (await fetch(`${url}/api/applications/storefront/load-balancers`, { headers: { authorization: `Bearer ${token}` } })).json()) as Array<{
      name: string;
      address: string;
    }>;
    const prod = balancers.find((b) => b.name === 'storefront-prod')!.address;
    expect(new Set(await versionsServedBy(prod, 6))).toEqual(new Set(['v1']));

    // A person's release waits for a judgment after the smoke test passed on staging.
    const run = await kiln('pipeline', 'run', 'storefront/Ship storefront', '--json');
    expect(run.code, run.err).toBe(0);
    const id = (JSON.parse(run.out) as { id: string }).id;
    const waiting = await kiln('execution', 'wait', id, '--for', 'judgment', '--timeout', '120');
    expect(waiting.code, waiting.out + waiting.err).toBe(0);
    expect(waiting.out).toContain(`kiln execution judge ${id} judgment --approve`);
    const smoke = await kiln('execution', 'logs', id, '--stage', 'smoke');
    expect(smoke.out).toContain('10/10 requests passed');
    expect(new Set(await versionsServedBy(prod, 6))).toEqual(new Set(['v1']));

    const approve = await kiln('execution', 'judge', id, 'judgment', '--approve', '--comment', 'staging looks right');
    expect(approve.code, approve.err).toBe(0);
    const done = await kiln('execution', 'wait', id, '--timeout', '150');
    expect(done.code, done.out + done.err).toBe(0);

    // Production now serves only the new version, and the old group is gone.
    expect(new Set(await versionsServedBy(prod, 12))).toEqual(new Set(['v2']));
    const clusters = await kiln('cluster', 'list', 'storefront');
    expect(clusters.out).toMatch(/storefront-prod-v002\s+storefront:v2\s+enabled\s+3\/3 up/);
    expect(clusters.out).not.toContain('storefront-prod-v001');
    const judged = JSON.parse((await kiln('execution', 'get', id, '--json')).out) as { stages: Array<{ refId: string; outputs: Record<string, unknown> }> };
    expect(judged.stages.find((s) => s.refId === 'judgment')!.outputs).toMatchObject({ judgedBy: 'ops' });
  });
});
