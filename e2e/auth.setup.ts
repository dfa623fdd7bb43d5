import { expect, test as setup } from '@playwright/test';
import { ADMIN_STATE, SETUP_TOKEN } from './playwright.config';
import { screen } from './screens';

/** The first start, as a newcomer does it: open the printed setup link, create the admin. */
setup('create the first admin through the setup link', async ({ page }) => {
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
});
