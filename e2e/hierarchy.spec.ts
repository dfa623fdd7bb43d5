import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './journey';
import { screen } from './screens';

// The demo Kiln sets up on first start (src/db/seed-demo-world.ts): the storefront application,
// released for real before the journeys begin (auth.setup.ts waits for it). Other journeys may
// release it again, so the expectations come from the API, not from fixed version numbers.

interface Group {
  name: string;
  account: string;
  region: string;
  disabled: boolean;
  image?: { name: string; version: string };
}
interface View {
  accounts: Array<{ clusters: Array<{ regions: Array<{ serverGroups: Group[] }> }> }>;
}

async function storefront(request: APIRequestContext) {
  const view = (await (await request.get('/api/applications/storefront/clusters')).json()) as View;
  const groups = view.accounts.flatMap((a) => a.clusters.flatMap((c) => c.regions.flatMap((r) => r.serverGroups)));
  const prod = groups.find((g) => g.account === 'prod' && !g.disabled)!;
  return { groups, prod };
}

test('a newcomer lands on the projects list, which says how to run the demo and where to watch it', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/projects$/);
  const guide = page.getByRole('region', { name: 'Try it: ship the demo storefront to production' });
  await expect(guide.getByRole('link', { name: 'Ship storefront' })).toBeVisible();
  await expect(guide.getByRole('link', { name: 'Approvals' })).toBeVisible();
  // The production balancer's address is a real one: it answers with the storefront's page.
  const prodLink = guide
    .getByRole('listitem')
    .filter({ hasText: /^Production:/ })
    .getByRole('link');
  await expect(prodLink).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  await expect(guide.getByText(/storefront-prod-v\d{3} 100%/)).toBeVisible();
  const page1 = await (await page.request.get((await prodLink.getAttribute('href'))!)).text();
  expect(page1).toMatch(/<h1>Storefront <span class="v">v\d+<\/span><\/h1>/);
  const card = page.getByRole('link', { name: /Demo: Storefront/ });
  await expect(card.getByText('Demo', { exact: true })).toBeVisible();
  await screen(page, 'projects');

  await card.click();
  await expect(page).toHaveURL(/\/projects\/demo$/);
  await expect(page.getByRole('heading', { name: 'storefront', exact: true })).toBeVisible();
  await expect(page.getByRole('note', { name: 'Demo' })).toContainText('Kiln set up this project on first start');
  await expect(page.getByRole('region', { name: /Try it/ })).toBeVisible();
  await screen(page, 'project-dashboard');
});

test('searching the applications list filters it through the URL', async ({ page }) => {
  await page.goto('/applications');
  const table = page.getByRole('table', { name: 'Applications' });
  await expect(table.getByRole('link', { name: 'storefront' })).toBeVisible();

  await page.getByRole('searchbox').fill('web shop');
  await expect(page).toHaveURL(/\?q=web(\+|%20)shop$/);
  await expect(table.getByRole('link', { name: 'storefront' })).toBeVisible();
  await screen(page, 'applications-search');

  await page.goto('/applications?q=nothing-like-this');
  await expect(page.getByText(/No applications match/)).toBeVisible();
});

test('the clusters view groups the real deploys by account, cluster and region, and filters through the URL', async ({ page }) => {
  const { groups, prod } = await storefront(page.request);
  await page.goto('/applications');
  await page.getByRole('link', { name: 'storefront' }).first().click();
  await expect(page).toHaveURL(/\/applications\/storefront\/clusters$/);

  for (const account of ['prod', 'staging']) await expect(page.getByRole('heading', { name: account, exact: true })).toBeVisible();
  const east = page.getByRole('link', { name: `${prod.name} in prod/local-east` });
  await expect(east.getByRole('img', { name: /up$/ })).toHaveCount(3);
  await expect(page.getByText(`${groups.length} of ${groups.length} server groups shown`)).toBeVisible();
  await screen(page, 'clusters');

  // Everything runs in local-east: the other region is empty, and says so.
  await page.goto('/applications/storefront/clusters?region=local-west');
  await expect(page.getByLabel('Region')).toHaveValue('local-west');
  await expect(page.getByRole('heading', { name: 'No server groups match these filters' })).toBeVisible();

  await page.getByLabel('Region').selectOption('local-east');
  await expect(page).toHaveURL(/region=local-east/);
  await expect(page.getByText(`${groups.length} of ${groups.length} server groups shown`)).toBeVisible();
  // A click, not uncheck(): the box follows the URL, which the router updates a moment later.
  await page.getByLabel('Show disabled').click();
  await expect(page).toHaveURL(/showDisabled=false/);
  const enabled = groups.filter((g) => !g.disabled).length;
  await expect(page.getByText(`${enabled} of ${groups.length} server groups shown`)).toBeVisible();
});

test('opening a server group shows its live instances, image and load balancer, and survives a reload', async ({ page }) => {
  const { prod } = await storefront(page.request);
  await page.goto('/applications/storefront/clusters');
  await page.getByRole('link', { name: `${prod.name} in prod/local-east` }).click();
  await expect(page).toHaveURL(new RegExp(`sg=prod(%2F|/)local-east(%2F|/)${prod.name}`));

  const panel = page.getByRole('complementary', { name: prod.name });
  const instances = panel.getByRole('table', { name: 'Instances' });
  await expect(instances.getByRole('row')).toHaveCount(4); // header + 3 instances
  await expect(instances.getByText('Up', { exact: true })).toHaveCount(3);
  await expect(instances.getByText(/127\.0\.0\.1:\d+/).first()).toBeVisible();
  await expect(panel.getByRole('rowheader', { name: 'storefront-prod' })).toBeVisible(); // its load balancer
  await expect(panel.getByText(`storefront:${prod.image!.version}`)).toBeVisible();
  await screen(page, 'server-group-panel');

  await page.reload();
  await expect(page.getByRole('complementary', { name: prod.name })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('complementary', { name: prod.name })).toHaveCount(0);
  await expect(page).not.toHaveURL(/sg=/);
});

test('an unknown application says so, and the theme choice is kept', async ({ page }) => {
  const { prod } = await storefront(page.request);
  await page.goto('/applications/nosuchapp/clusters');
  await expect(page.getByRole('heading', { name: "Application 'nosuchapp' does not exist" })).toBeVisible();
  await screen(page, 'application-not-found');

  await page.goto('/projects');
  const toggle = page.getByRole('button', { name: 'Dark theme' });
  const wasDark = (await toggle.getAttribute('aria-pressed')) === 'true';
  await toggle.click();
  await expect(page.locator('html')).toHaveClass(wasDark ? /^(?!.*\bdark\b)/ : /\bdark\b/);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute('aria-pressed', String(!wasDark));
  await page.goto(`/applications/storefront/clusters?sg=prod/local-east/${prod.name}`);
  await expect(page.getByRole('complementary', { name: prod.name })).toBeVisible();
  await screen(page, wasDark ? 'server-group-panel-light' : 'server-group-panel-dark');
});

test('the API answers 404 and 400 with messages a person can act on', async ({ request }) => {
  const missing = await request.get('/api/applications/nosuchapp/clusters');
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toMatchObject({ error: 'not_found', message: "Application 'nosuchapp' does not exist." });
  const bad = await request.get('/api/applications/storefront/clusters?showDisabled=maybe');
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ error: 'bad_request', field: 'showDisabled' });
});
