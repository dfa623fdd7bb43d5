import { expect, test } from '@playwright/test';
import { screen } from './screens';

// The demo project seeded into the fresh database on first start (src/db/seed-demo-world.ts).

test('a newcomer lands on the projects list and opens the demo project', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/projects$/);
  const card = page.getByRole('link', { name: /Demo: Storefront/ });
  await expect(card).toBeVisible();
  await expect(page.getByText('Demo data').first()).toBeVisible();
  await screen(page, 'projects');

  await card.click();
  await expect(page).toHaveURL(/\/projects\/demo$/);
  await expect(page.getByRole('heading', { name: 'storefront', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'payments', exact: true })).toBeVisible();
  await expect(page.getByText(/sample data Kiln seeds on first start/)).toBeVisible();
  await screen(page, 'project-dashboard');
});

test('searching the applications list filters it through the URL', async ({ page }) => {
  await page.goto('/applications');
  const table = page.getByRole('table', { name: 'Applications' });
  await expect(table.getByRole('link', { name: 'storefront' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'payments' })).toBeVisible();

  await page.getByRole('searchbox').fill('settlement');
  await expect(page).toHaveURL(/\?q=settlement$/);
  await expect(table.getByRole('link', { name: 'payments' })).toBeVisible();
  await expect(table.getByRole('link', { name: 'storefront' })).toHaveCount(0);
  await screen(page, 'applications-search');

  await page.goto('/applications?q=nothing-like-this');
  await expect(page.getByText(/No applications match/)).toBeVisible();
});

test('the clusters view groups by account, cluster and region, and filters by region through the URL', async ({ page }) => {
  await page.goto('/applications');
  await page.getByRole('link', { name: 'storefront' }).first().click();
  await expect(page).toHaveURL(/\/applications\/storefront\/clusters$/);

  for (const account of ['prod', 'staging']) {
    await expect(page.getByRole('heading', { name: account, exact: true })).toBeVisible();
  }
  const east = page.getByRole('link', { name: 'storefront-prod-v003 in prod/local-east' });
  await expect(east).toBeVisible();
  await expect(east.getByRole('img', { name: /up$/ })).toHaveCount(3);
  await expect(east.getByRole('img', { name: /down$/ })).toHaveCount(1);
  await expect(page.getByText('9 of 9 server groups shown')).toBeVisible();
  await screen(page, 'clusters');

  await page.goto('/applications/storefront/clusters?region=local-west');
  await expect(page.getByLabel('Region')).toHaveValue('local-west');
  await expect(page.getByText('3 of 9 server groups shown')).toBeVisible();
  await expect(page.getByRole('link', { name: /in prod\/local-east$/ })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'storefront-prod-canary-eu-v001 in prod/local-west' })).toBeVisible();
  await screen(page, 'clusters-west');

  await page.getByLabel('Region').selectOption('local-east');
  await expect(page).toHaveURL(/region=local-east/);
  await expect(page.getByText('6 of 9 server groups shown')).toBeVisible();

  // A click, not uncheck(): the box follows the URL, which the router updates a moment later.
  await page.getByLabel('Show disabled').click();
  await expect(page).toHaveURL(/showDisabled=false/);
  await expect(page.getByLabel('Show disabled')).not.toBeChecked();
  await expect(page.getByText('2 of 9 server groups shown')).toBeVisible();
});

test('opening a server group shows its instances, health and load balancer, and survives a reload', async ({ page }) => {
  await page.goto('/applications/storefront/clusters');
  await page.getByRole('link', { name: 'storefront-prod-v003 in prod/local-east' }).click();
  await expect(page).toHaveURL(/sg=prod%2Flocal-east%2Fstorefront-prod-v003|sg=prod\/local-east\/storefront-prod-v003/);

  const panel = page.getByRole('complementary', { name: 'storefront-prod-v003' });
  await expect(panel).toBeVisible();
  const instances = panel.getByRole('table', { name: 'Instances' });
  await expect(instances.getByRole('row')).toHaveCount(5); // header + 4 instances
  await expect(instances.getByText('Up', { exact: true })).toHaveCount(3);
  await expect(instances.getByText('Down', { exact: true })).toHaveCount(1);
  await expect(instances.getByText(/127\.0\.0\.1:\d+/).first()).toBeVisible();
  await expect(panel.getByText('storefront-prod-frontend')).toBeVisible();
  await expect(panel.getByText('storefront:1.4.2-h123')).toBeVisible();
  await screen(page, 'server-group-panel');

  await page.reload();
  await expect(page.getByRole('complementary', { name: 'storefront-prod-v003' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('complementary', { name: 'storefront-prod-v003' })).toHaveCount(0);
  await expect(page).not.toHaveURL(/sg=/);
});

test('an unknown application says so, and the theme choice is kept', async ({ page }) => {
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
  await page.goto('/applications/storefront/clusters?sg=prod/local-east/storefront-prod-v003');
  await expect(page.getByRole('complementary', { name: 'storefront-prod-v003' })).toBeVisible();
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
