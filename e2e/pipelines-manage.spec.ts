import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import { expectAccessible } from './axe';
import { screen } from './screens';

// Everyone: manage pipelines from the list (duplicate, rename, delete with the name typed), and
// support: what ran in production across every application, with how long each group took traffic.

const shoot = async (page: Page, name: string) => {
  await screen(page, name);
  await page.screenshot({ path: `/tmp/h7-pipelines/${name}.png`, fullPage: true });
};

for (const theme of ['light', 'dark'] as const) {
  test(`duplicate, rename and delete a pipeline from the pipelines list (${theme})`, async ({ page, request }) => {
    test.setTimeout(90_000);
    await page.addInitScript((t) => localStorage.setItem('kiln-theme', t), theme);
    const name = `Manage me ${theme}`;
    const created = await request.post('/api/applications/storefront/pipelines', {
      data: { name, stages: [{ refId: 'w', type: 'wait', name: 'Soak', config: { seconds: 1 } }], triggers: [{ type: 'webhook', secret: 'a-webhook-secret-of-e2e' }] },
    });
    expect(created.status()).toBe(201);
    await page.goto('/applications/storefront/pipelines');
    const table = page.getByRole('table', { name: 'Pipelines' });

    await page.getByRole('button', { name: `Manage ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Duplicate…' }).click();
    await page.getByRole('button', { name: 'Duplicate', exact: true }).click();
    const done = page.getByRole('dialog', { name: `Copied to storefront/${name} (copy)` });
    await expect(done.getByRole('status', { name: 'New webhook secret' })).toHaveText(/^\S{20,}$/);
    await expectAccessible(page, `${theme} duplicate done`);
    await shoot(page, `pipelines-duplicated-${theme}`);
    await done.getByRole('button', { name: 'Close' }).click();
    await expect(table.getByRole('link', { name: `${name} (copy)`, exact: true })).toBeVisible();

    await page.getByRole('button', { name: `Manage ${name} (copy)` }).click();
    await page.getByRole('menuitem', { name: 'Rename…' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill(`${name} renamed`);
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await expect(table.getByRole('link', { name: `${name} renamed`, exact: true })).toBeVisible();

    await page.getByRole('button', { name: `Manage ${name} renamed` }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const confirm = page.getByRole('button', { name: 'Delete pipeline' });
    await expect(confirm).toBeDisabled();
    await page.getByRole('textbox', { name: /to confirm/ }).fill(`${name} renamed`);
    await expectAccessible(page, `${theme} delete pipeline`);
    await shoot(page, `pipelines-delete-${theme}`);
    await confirm.click();
    await expect(table.getByRole('link', { name: `${name} renamed`, exact: true })).toHaveCount(0);
    await expect(table.getByRole('link', { name, exact: true })).toBeVisible();
    await request.delete(`/api/pipelines/${((await created.json()) as { id: string }).id}`);
  });

  test(`what ran in production, across applications, and how long each group took traffic (${theme})`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.addInitScript((t) => localStorage.setItem('kiln-theme', t), theme);
    await page.goto('/projects');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Deployment history' })).toBeVisible();
    await page.getByLabel('Environment').selectOption('prod');
    const now = await page.evaluate(() => {
      const d = new Date(Date.now() + 60_000);
      return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    });
    await page.getByLabel('Running at').fill(now);
    await expect(page.getByRole('status')).toContainText('of every application you can read in prod ran at');
    const table = page.getByRole('table', { name: 'Deployment history' });
    await expect(table.getByRole('columnheader', { name: 'Application' })).toBeVisible();
    const serving = table.getByRole('row').filter({ hasText: 'storefront' }).filter({ hasText: 'serving then' });
    await expect(serving.first()).toBeVisible();
    await expectAccessible(page, `${theme} history`);
    await shoot(page, `history-at-${theme}`);
    // For a look only: at 768 px the top bar (outside this journey) is wider than the screen, History link or not.
    await page.setViewportSize({ width: 768, height: 900 });
    await page.screenshot({ path: `/tmp/h7-pipelines/history-768-${theme}.png` });
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(table).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shoot(page, `history-at-${theme}-phone`);
    await page.goto('/applications/storefront/pipelines');
    // Measured once the page has settled: the application header's loading skeleton is wider than a phone.
    await expect(page.getByRole('heading', { level: 1, name: 'storefront' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Pipelines' })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shoot(page, `pipelines-${theme}-phone`);
  });
}
