import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import { screen } from './screens';

// Single sign-on needs Kiln started with KILN_OIDC_* and a provider to talk to, so this journey
// starts its own pair next to the shared server: the in-repo test provider and a second Kiln.
const BASE = Number(process.env.KILN_E2E_PORT ?? 8181);
const KILN_PORT = BASE + 100;
const IDP_PORT = BASE + 101;
const KILN = `http://127.0.0.1:${KILN_PORT}`;
const ROOT = resolve(import.meta.dirname, '..');
const DATA = resolve(ROOT, `e2e/.artifacts/kiln-oidc-data-${KILN_PORT}`);
const started: ChildProcess[] = [];

function start(args: string[], env: Record<string, string>): void {
  // Its own process group, so npx, tsx and node stop together.
  const child = spawn('npx', ['tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[oidc e2e] ${chunk.toString()}`));
  started.push(child);
}

async function waitFor(url: string): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within 120 s`);
}

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({ baseURL: KILN, storageState: { cookies: [], origins: [] } });

test.beforeAll(async () => {
  // Two processes start from cold beside the other worker's journey: the 120 s waitFor allows, not the 30 s default.
  test.setTimeout(150_000);
  rmSync(DATA, { recursive: true, force: true });
  start(['src/server/auth/oidc-test-idp.ts', String(IDP_PORT), 'kiln', 'kiln-e2e-secret'], {});
  start(['src/server/main.ts'], {
    PORT: String(KILN_PORT),
    KILN_DATA: DATA,
    KILN_DEMO: 'false',
    LOG_LEVEL: 'warn',
    KILN_OIDC_ISSUER: `http://127.0.0.1:${IDP_PORT}`,
    KILN_OIDC_CLIENT_ID: 'kiln',
    KILN_OIDC_CLIENT_SECRET: 'kiln-e2e-secret',
    KILN_PUBLIC_URL: KILN,
    KILN_OIDC_NAME: 'Acme SSO',
    KILN_OIDC_ROLE_MAP: 'platform-admins=admin,deployers=deployers',
  });
  await waitFor(`http://127.0.0.1:${IDP_PORT}/.well-known/openid-configuration`);
  await waitFor(`${KILN}/api/health`);
});

test.afterAll(async () => {
  for (const child of started) {
    try {
      if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone: nothing to stop.
    }
  }
  await Promise.all(started.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
});

/** From Kiln's sign-in page through the provider's login form and back. */
async function signInAtProvider(page: Page, login: string, groups: string, shot?: string): Promise<void> {
  await page.getByRole('link', { name: 'Sign in with Acme SSO' }).click();
  await expect(page.getByRole('heading', { name: 'Test IdP' })).toBeVisible();
  await page.getByLabel('Username').fill(login);
  await page.getByLabel('Groups').fill(groups);
  if (shot) await screen(page, shot);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a person signs in through the company provider and gets the role their group maps to; leaving the group takes it away', async ({ page, browser }) => {
  await page.goto('/projects');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('Use your Acme SSO account')).toBeVisible();
  await screen(page, 'oidc-01-sign-in');

  // An admin by group: platform-admins=admin.
  await signInAtProvider(page, 'olga', 'platform-admins', 'oidc-02-provider-login');
  await expect(page).toHaveURL(`${KILN}/projects`);
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await page.locator('summary', { hasText: 'olga' }).click();
  await expect(page.getByRole('link', { name: 'Users and roles' })).toBeVisible();
  await screen(page, 'oidc-03-admin-signed-in');

  // What the deployers group is for: EXECUTE on checkout (which implies READ).
  expect((await page.request.post('/api/projects', { data: { name: 'shop', displayName: 'Shop', ownerEmail: 'shop@example.com' } })).status()).toBe(201);
  expect((await page.request.post('/api/applications', { data: { name: 'checkout', project: 'shop', ownerEmail: 'shop@example.com' } })).status()).toBe(201);
  expect(
    (
      await page.request.put('/api/admin/roles/deployers', {
        data: { description: 'Deploy checkout', grants: [{ resourceType: 'application', resource: 'checkout', permission: 'EXECUTE' }] },
      })
    ).status(),
  ).toBe(200);

  const dave = await browser.newContext({ baseURL: KILN, storageState: { cookies: [], origins: [] } });
  const davePage = await dave.newPage();
  await davePage.goto('/applications');
  await signInAtProvider(davePage, 'dave', 'deployers, coffee-club');
  await expect(davePage).toHaveURL(`${KILN}/applications`);
  await expect(davePage.getByRole('link', { name: 'checkout' })).toBeVisible();
  await davePage.locator('summary', { hasText: 'dave' }).click();
  await expect(davePage.getByText('Signed in as dave · deployers')).toBeVisible();
  await expect(davePage.getByRole('link', { name: 'Users and roles' })).toHaveCount(0);
  await screen(davePage, 'oidc-04-deployer-signed-in');
  await davePage.getByRole('button', { name: 'Sign out' }).click();
  await expect(davePage.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // Dave left the deployers group at the provider: the next sign-in is refused and the role is gone.
  await signInAtProvider(davePage, 'dave', 'coffee-club');
  await expect(davePage.getByRole('heading', { name: 'Sign-in failed' })).toBeVisible();
  await expect(davePage.getByRole('alert')).toHaveText(/none of the groups Kiln gives a role to \(you are in: coffee-club\)/);
  await screen(davePage, 'oidc-05-refused');
  await davePage.getByRole('link', { name: 'Back to sign in' }).click();
  await expect(davePage.getByRole('link', { name: 'Sign in with Acme SSO' })).toBeVisible();
  await dave.close();

  await page.goto('/admin/users');
  const daveRow = page.getByRole('row', { name: /dave/ });
  await expect(daveRow.getByText('SSO', { exact: true })).toBeVisible();
  await expect(daveRow.getByLabel('Roles of dave')).toHaveValue('');
  await expect(daveRow.getByLabel('Roles of dave')).toBeDisabled();
  await screen(page, 'oidc-06-users');
  await page.goto('/admin/audit?q=oidc');
  await expect(page.getByRole('cell', { name: 'GET /api/auth/oidc/callback' }).first()).toBeVisible();
  await screen(page, 'oidc-07-audit');
});
