import { expect, test as setup } from '@playwright/test';
import { ADMIN_STATE, SETUP_TOKEN } from './playwright.config';
import { screen } from './screens';

/** The first start, as a newcomer does it: open the printed setup link, create the admin. */
setup('create the first admin through the setup link', async ({ page }) => {
  setup.setTimeout(150_000);
  await page.goto('/projects');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await screen(page, 'auth-01-sign-in');
  await page.goto(`/setup#token=${SETUP_TOKEN}`);
  await page.getByLabel('Name', { exact: true }).fill('ana');
  await page.getByLabel('Display name').fill('Ana Admin');
  await page.getByLabel('Password', { exact: true }).fill('e2e-admin-password');
  await page.getByLabel('Repeat password').fill('e2e-admin-password');
  await screen(page, 'auth-02-setup');
  await page.getByRole('button', { name: 'Create admin and sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await page.context().storageState({ path: ADMIN_STATE });

  // The demo's first release (bake, staging, smoke test, production) runs from Kiln's first start;
  // journeys begin once it is done, so what they find is settled.
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/api/applications/storefront/executions');
        const body = (await res.json()) as { executions: Array<{ status: string; stages: Array<{ name: string; error?: string }> }> };
        const failed = body.executions[0]?.stages.find((s) => s.error);
        return failed ? `${body.executions[0]!.status}: ${failed.name}: ${failed.error}` : body.executions[0]?.status;
      },
      { timeout: 120_000, intervals: [1000] },
    )
    .toBe('SUCCEEDED');
});
