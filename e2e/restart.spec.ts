import { expect, test } from './journey';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { executionBadge, stageNode } from './execution-page';
import { screen } from './screens';

// An open execution page while its Kiln process dies and starts again: the page reconnects to the
// new process on its own, resumes the live stream after the last event it applied, and shows what
// happened meanwhile and after, without a reload, each log line once. This Kiln is started by the
// test (the journeys' own server cannot be restarted from a spec), on the journeys' port + 50.

const PORT = Number(process.env.KILN_E2E_PORT ?? 8181) + 50;
const BASE = `http://127.0.0.1:${PORT}`;
const SETUP_TOKEN = 'restart-journey-setup-token-0123456789';
const root = resolve(import.meta.dirname, '..');

function startKiln(dataDir: string): ChildProcess {
  // Its own process group, so the crash below takes anything it started with it.
  return spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    detached: true,
    env: { ...process.env, KILN_DATA: dataDir, PORT: String(PORT), KILN_DEMO: 'false', LOG_LEVEL: 'error', KILN_SETUP_TOKEN: SETUP_TOKEN },
    stdio: 'ignore',
  });
}

async function healthy(): Promise<void> {
  await expect
    .poll(
      () =>
        fetch(`${BASE}/api/health`).then(
          (r) => r.ok,
          () => false,
        ),
      { timeout: 60_000, intervals: [200] },
    )
    .toBe(true);
}

let kiln: ChildProcess | undefined;
let dataDir = '';

test.afterEach(async () => {
  if (kiln?.exitCode === null && kiln.signalCode === null) {
    const exited = new Promise((ok) => kiln!.once('exit', ok));
    process.kill(-kiln.pid!, 'SIGTERM');
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 15_000))]);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('an open execution page rides out a Kiln crash and restart without a reload', async ({ page }) => {
  test.setTimeout(150_000);
  dataDir = mkdtempSync(join(tmpdir(), 'kiln-e2e-restart-'));
  kiln = startKiln(dataDir);
  await healthy();

  // The real first start: the setup link's token makes the admin, and the browser is signed in.
  const setup = await page.request.post(`${BASE}/api/auth/setup`, {
    data: { token: SETUP_TOKEN, name: 'oncall', displayName: 'On Call', password: 'a-long-enough-password' },
  });
  expect(setup.status(), await setup.text()).toBe(201);
  const api = async (path: string, data: unknown) => {
    const res = await page.request.post(`${BASE}${path}`, { data });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as { id: string };
  };
  await api('/api/projects', { name: 'lab', displayName: 'Lab', ownerEmail: 'ops@example.com' });
  await api('/api/applications', { name: 'storefront', project: 'lab', ownerEmail: 'ops@example.com' });
  const pipeline = await api('/api/applications/storefront/pipelines', {
    name: 'Through a restart',
    stages: [
      { refId: 'first', type: 'runJob', name: 'First', config: { command: 'for i in $(seq 1 5); do echo "first $i"; sleep 0.2; done' } },
      { refId: 'wait', type: 'wait', name: 'Hold', requisiteStageRefIds: ['first'], config: { seconds: 8 } },
      { refId: 'second', type: 'runJob', name: 'Second', requisiteStageRefIds: ['wait'], config: { command: 'for i in $(seq 1 8); do echo "second $i"; sleep 0.3; done' } },
    ],
  });
  const { id } = await api(`/api/pipelines/${pipeline.id}/executions`, {});

  await page.goto(`${BASE}/applications/storefront/executions/${id}?stage=second`);
  const log = page.getByRole('region', { name: 'Log of Second' });
  await expect(page.getByRole('status').filter({ hasText: /^Live$/ })).toBeVisible();
  await expect(stageNode(page, 'Hold')).toHaveAccessibleName(/RUNNING/, { timeout: 20_000 });
  await expect(log.getByText('Not started yet: its output appears here as soon as it runs.')).toBeVisible();

  // The crash: the whole process group, no goodbye. The page notices the stream is gone.
  const dead = new Promise((ok) => kiln!.once('exit', ok));
  process.kill(-kiln.pid!, 'SIGKILL');
  await dead;
  await expect(page.getByRole('status').filter({ hasText: /Reconnecting/ })).toBeVisible({ timeout: 20_000 });
  await screen(page, 'restart-reconnecting');

  kiln = startKiln(dataDir);
  await healthy();
  // Back without a reload: live again, the held stage finishes, the next stage's log streams in,
  // and the execution ends, every line once and in order.
  await expect(page.getByRole('status').filter({ hasText: /^Live$/ })).toBeVisible({ timeout: 30_000 });
  await expect(log.getByText('second 8', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(log.getByText('8 lines', { exact: true })).toBeVisible();
  expect(await log.locator('[data-line]').allTextContents()).toEqual(Array.from({ length: 8 }, (_, i) => `${i + 1}second ${i + 1}`));
  await expect(stageNode(page, 'Second')).toHaveAccessibleName(/SUCCEEDED/, { timeout: 20_000 });
  await expect(executionBadge(page, 'Through a restart')).toHaveText('Succeeded');
  await screen(page, 'restart-resumed');

  // The first stage's log, written before the crash, is whole and not doubled.
  await stageNode(page, 'First').click();
  const first = page.getByRole('region', { name: 'Log of First' });
  await expect(first.getByText('5 lines', { exact: true })).toBeVisible();
  expect(await first.locator('[data-line]').allTextContents()).toEqual(Array.from({ length: 5 }, (_, i) => `${i + 1}first ${i + 1}`));
});
