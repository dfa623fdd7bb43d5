import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './journey';
import { screen } from './screens';

// Support staff: find what runs where from the top bar with the keyboard, and answer "what ran in
// production at that moment" from the history. Runs on the demo storefront, released before the
// journeys begin (auth.setup.ts); versions come from the API since other journeys release it again.

interface Group {
  name: string;
  account: string;
  region: string;
  disabled: boolean;
  image: { name: string; version: string };
}

async function prodGroup(request: APIRequestContext): Promise<Group> {
  const view = (await (await request.get('/api/applications/storefront/clusters')).json()) as {
    accounts: Array<{ clusters: Array<{ regions: Array<{ serverGroups: Group[] }> }> }>;
  };
  return view.accounts.flatMap((a) => a.clusters.flatMap((c) => c.regions.flatMap((r) => r.serverGroups))).find((g) => g.account === 'prod' && !g.disabled)!;
}

test('search from the top bar with the keyboard: image:version finds the server group, Enter opens it', async ({ page, request }) => {
  const prod = await prodGroup(request);
  await page.goto('/projects');
  await expect(page.getByRole('main')).toBeVisible();
  await page.keyboard.press('Control+K');
  const dialog = page.getByRole('dialog', { name: 'Search Kiln' });
  await expect(dialog.getByRole('searchbox')).toBeFocused();
  await dialog.getByRole('searchbox').pressSequentially(`${prod.image.name}:${prod.image.version}`);
  const groups = dialog.getByRole('region', { name: 'Server groups' });
  await expect(groups.getByRole('link', { name: new RegExp(`^${prod.name}`) })).toBeVisible();
  await screen(page, 'support-search');
  // Arrows walk the links in order; Enter follows the focused one.
  const links = dialog.locator('a[data-hit]');
  const index = (await links.allTextContents()).findIndex((t) => t.startsWith(prod.name) && t.includes(`${prod.account}/${prod.region}`));
  expect(index).toBeGreaterThanOrEqual(0);
  for (let i = 0; i <= index; i += 1) await page.keyboard.press('ArrowDown');
  await expect(links.nth(index)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/applications/storefront/clusters\\?sg=${prod.account}%2F${prod.region}%2F${prod.name}$`));
  await expect(dialog).toHaveCount(0);

  // `/` opens it too, and an instance is found by its address.
  await page.locator('body').press('/');
  await expect(dialog).toBeVisible();
  const group = (await (await request.get(`/api/applications/storefront/server-groups/${prod.account}/${prod.region}/${prod.name}`)).json()) as {
    serverGroup: { instances: Array<{ id: string; address: string }> };
  };
  const instance = group.serverGroup.instances[0]!;
  await dialog.getByRole('searchbox').fill(instance.address);
  await expect(dialog.getByRole('region', { name: 'Instances' }).getByRole('link', { name: new RegExp(`^${instance.id}`) })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('the history answers "what ran in production at that moment", destroyed groups included, linked to their executions', async ({ page, request }) => {
  const prod = await prodGroup(request);
  await page.goto('/applications/storefront/history');
  const table = page.getByRole('table', { name: 'Deployment history' });
  await expect(table).toBeVisible();
  await page.getByLabel('Environment').selectOption('prod');
  // Now, as the browser's clock reads it in local time.
  const now = await page.evaluate(() => {
    const d = new Date(Date.now() + 60_000);
    return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  });
  await page.getByLabel('Running at').fill(now);
  await expect(page.getByRole('status')).toContainText('of storefront in prod ran at');
  const row = table.getByRole('row', { name: new RegExp(prod.name) });
  await expect(row).toContainText(`${prod.image.name}:${prod.image.version}`);
  await screen(page, 'support-history-at');
  // The deploy that created it is one click away.
  await row
    .getByRole('link', { name: /^execution / })
    .first()
    .click();
  await expect(page).toHaveURL(/\/applications\/storefront\/executions\/[0-9a-f-]{36}$/);
  // The execution page of the demo's release pipeline.
  await expect(page.getByRole('heading', { level: 1, name: 'Ship storefront' })).toBeVisible();
});

test('managing an application: edit its owner, see why it cannot be deleted yet, delete an empty one by typing its name', async ({ page, request }) => {
  await request.post('/api/applications', { data: { name: 'scratchpad', project: 'demo', ownerEmail: 'scratch@example.com', description: 'A mistake' } });
  await page.goto('/applications/storefront/clusters');
  await page.getByRole('button', { name: 'Settings' }).click();
  const storefrontSettings = page.getByRole('dialog', { name: 'Settings of storefront' });
  await storefrontSettings.getByRole('button', { name: 'Delete application…' }).click();
  const refuse = page.getByRole('dialog', { name: 'Delete application storefront?' });
  await refuse.getByLabel('Type storefront to confirm').fill('storefront');
  await refuse.getByRole('button', { name: 'Delete storefront' }).click();
  // Other journeys add pipelines to the demo application: the refusal names them all, the demo's among them.
  await expect(refuse.getByRole('alert')).toContainText(/^Application 'storefront' still has pipelines? [^;]+; server groups [^;]+;.* Delete them first\.$/);
  await screen(page, 'support-app-delete-refused');
  await refuse.getByRole('button', { name: 'Cancel' }).click();

  await page.goto('/applications/scratchpad/clusters');
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings of scratchpad' });
  await settings.getByLabel('Owner e-mail').fill('owner@example.com');
  await settings.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Owner owner@example.com')).toBeVisible();
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('dialog', { name: 'Settings of scratchpad' }).getByRole('button', { name: 'Delete application…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete application scratchpad?' });
  await expect(confirm.getByRole('button', { name: 'Delete scratchpad' })).toBeDisabled();
  await confirm.getByLabel('Type scratchpad to confirm').fill('scratchpad');
  await confirm.getByRole('button', { name: 'Delete scratchpad' }).click();
  await expect(page).toHaveURL(/\/applications$/);
  expect((await request.get('/api/applications/scratchpad')).status()).toBe(404);
});
