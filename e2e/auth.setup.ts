import { expect, test as setup } from '@playwright/test';
import { adminState, kilnUrl, SERVERS, SETUP_TOKEN } from './kiln-servers';
import { screen } from './screens';

// Every journey worker's Kiln gets its first admin the same way, side by side.
setup.describe.configure({ mode: 'parallel' });

for (let server = 0; server < SERVERS; server += 1) {
  setup.describe(`server ${server + 1}`, () => {
    setup.use({ baseURL: kilnUrl(server) });

    /** The first start, as a newcomer does it: open the printed setup link, create the admin. */
    setup('create the first admin through the setup link', async ({ page }) => {
      setup.setTimeout(150_000);
      // One server's screens are enough to look at (they are the same on each).
      const shot = (name: string) => (server === 0 ? screen(page, name) : Promise.resolve());
      await page.goto('/projects');
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
      await shot('auth-01-sign-in');
      await page.goto(`/setup#token=${SETUP_TOKEN}`);
      await page.getByLabel('Name', { exact: true }).fill('ana');
      await page.getByLabel('Display name').fill('Ana Admin');
      await page.getByLabel('Password', { exact: true }).fill('e2e-admin-password');
      await page.getByLabel('Repeat password').fill('e2e-admin-password');
      await shot('auth-02-setup');
      await page.getByRole('button', { name: 'Create admin and sign in' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
      await page.context().storageState({ path: adminState(server) });

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
  });
}
