import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './journey';
import { screen } from './screens';

const TOKEN = 'lab-token-never-shown-0123456789';
const REGISTRY_PASSWORD = 'registry-pw-never-shown-9876';

test('an admin adds a docker account, sees its health and masked credentials, sets its registry, disables and removes it', async ({ page, request }) => {
  // A Docker Engine API stand-in on a real unix socket: Kiln really calls /_ping and /version on it.
  const dir = mkdtempSync(join(tmpdir(), 'kiln-e2e-docker-'));
  const socket = join(dir, 'podman.sock');
  const engine = createServer((req, res) => {
    if (req.url === '/_ping') return void res.end('OK');
    if (req.url === '/version') return void res.end(JSON.stringify({ Version: '5.4.2', ApiVersion: '1.41', Components: [{ Name: 'Podman Engine' }] }));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => engine.listen(socket, resolve));
  try {
    await page.goto('/projects');
    // The user menu is a <details>: a click that lands while the top bar still renders its first
    // answer (a loaded machine) can be undone by that render, so open it until its link shows.
    const menu = page.locator('details').filter({ has: page.locator('summary').filter({ hasText: 'admin' }) });
    await expect(async () => {
      if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator('summary').click();
      await expect(page.getByRole('link', { name: 'Accounts' })).toBeVisible({ timeout: 2000 });
    }).toPass({ timeout: 20_000 });
    await page.getByRole('link', { name: 'Accounts' }).click();
    await expect(page).toHaveURL(/\/admin\/accounts$/);
    await expect(page.getByTestId('health-prod')).toHaveText(/^reachable, engine Kiln local cloud/);

    const form = page.getByRole('form', { name: 'Add an account' });
    await form.getByLabel('Account name').fill('lab');
    await form.getByLabel('Provider').selectOption('docker');
    await form.getByLabel('Environment').selectOption('test');
    await form.getByLabel('Regions').fill('local');
    await form.getByLabel('Docker host').fill(`unix://${socket}`);
    await form.getByLabel('Access token').fill(TOKEN);
    await form.getByRole('button', { name: 'Add account' }).click();
    const lab = page.getByTestId('account-lab');
    await expect(lab.getByTestId('health-lab')).toHaveText('reachable, engine Podman Engine 5.4.2 (API 1.41)');
    await expect(lab.getByText(/^Set on \d{4}-\d\d-\d\d by /)).toBeVisible();
    await expect(page.getByText(TOKEN)).toHaveCount(0);
    expect(await (await request.get('/api/accounts/lab')).text()).not.toContain(TOKEN);
    await screen(page, 'accounts-01-docker-account-added');

    // The registry its engine pulls from, set afterwards: the password goes out once and never comes back.
    await lab.getByRole('button', { name: 'Set registry' }).click();
    await lab.getByLabel('Registry of lab', { exact: true }).fill('127.0.0.1:5000/lab');
    await lab.getByLabel('Registry user of lab').fill('robot');
    await lab.getByLabel('Registry password of lab').fill(REGISTRY_PASSWORD);
    await lab.getByRole('button', { name: 'Save registry' }).click();
    await expect(lab.getByText('registry 127.0.0.1:5000/lab')).toBeVisible();
    await expect(page.getByText(REGISTRY_PASSWORD)).toHaveCount(0);
    const stored = await (await request.get('/api/accounts/lab')).text();
    expect(stored).toContain('127.0.0.1:5000/lab');
    expect(stored).not.toContain(REGISTRY_PASSWORD);
    expect(stored).not.toContain(TOKEN);

    await form.getByLabel('Account name').fill('gone');
    await form.getByLabel('Provider').selectOption('docker');
    await form.getByLabel('Docker host').fill('unix:///nonexistent/podman.sock');
    await form.getByRole('button', { name: 'Add account' }).click();
    await expect(form.getByRole('alert')).toHaveText("Account 'gone' is unreachable: no socket at unix:///nonexistent/podman.sock.");
    await screen(page, 'accounts-02-unreachable-refused');

    await lab.getByRole('button', { name: 'Disable' }).click();
    await expect(lab.getByText('disabled: no new deploys')).toBeVisible();
    await lab.getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByTestId('account-lab')).toHaveCount(0);
  } finally {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Kiln with no account guides the admin to add a first one', async ({ page }) => {
  // What a fresh KILN_DEMO=false install answers; the journey's server has the demo's accounts.
  await page.route('**/api/accounts', (route) => route.fulfill({ json: [] }));
  await page.goto('/projects');
  await expect(page.getByText('Kiln has no account to deploy to yet.')).toBeVisible();
  await screen(page, 'accounts-03-first-account-front-page');
  await page.getByRole('link', { name: 'adding a first account' }).click();
  await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
  await screen(page, 'accounts-04-first-account-empty-state');
});

test('on a phone, each account is a card whose endpoint and buttons are on screen', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/admin/accounts');
  const row = page.getByTestId('account-prod');
  const endpoint = row.getByText('this machine', { exact: true });
  await expect(endpoint).toBeInViewport();
  for (const part of [endpoint, row.getByRole('button', { name: 'Remove' })]) {
    const box = await part.boundingBox();
    expect(box, 'shown').not.toBeNull();
    expect(box!.x + box!.width, 'inside the screen').toBeLessThanOrEqual(390);
  }
  // The column's name stays beside the value on the card.
  await expect(row.getByText('Endpoint', { exact: true })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth), 'the page does not scroll sideways').toBeLessThanOrEqual(390);
  await screen(page, 'accounts-05-phone');
});
