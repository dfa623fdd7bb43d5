import type { Page } from '@playwright/test';

/** Screens a person can open and look at after a run: e2e/.artifacts/screens/<name>.png */
export async function screen(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `e2e/.artifacts/screens/${name}.png`, fullPage: true });
}
