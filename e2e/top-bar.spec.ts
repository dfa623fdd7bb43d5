import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import { screen } from './screens';

// A laptop or a tablet held sideways (768–1024 px): the top bar fits, so no page scrolls sideways
// and every way out of it (navigation, search, theme, the user's menu) is on screen.
const WIDTHS = [768, 900, 1024] as const;
const PAGES: Array<[string, string]> = [
  ['projects', '/projects'],
  ['applications', '/applications'],
  ['pipelines', '/applications/storefront/pipelines'],
  ['history', '/history'],
  ['approvals', '/approvals'],
];

async function expectFits(page: Page, what: string) {
  const { scrollWidth, viewport, sticking } = await page.evaluate(() => {
    const out = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5);
    const outermost = out.filter((el) => !out.some((other) => other !== el && other.contains(el)));
    return {
      scrollWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      sticking: outermost.slice(0, 5).map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> ${Math.round(el.getBoundingClientRect().right)} px`),
    };
  });
  expect.soft(scrollWidth, `${what} scrolls sideways (${viewport} px wide):\n${sticking.join('\n')}`).toBeLessThanOrEqual(viewport);
}

for (const width of WIDTHS) {
  test(`at ${width} px the top bar fits and no main page scrolls sideways`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width, height: 800 });
    for (const [name, url] of PAGES) {
      await page.goto(url);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await expectFits(page, `${name} at ${width}`);
    }
    // Every way out of the top bar is within the screen.
    const banner = page.getByRole('banner');
    for (const control of [banner.getByRole('button', { name: /^Search/ }), banner.getByRole('button', { name: 'Dark theme' }), banner.locator('summary')]) {
      const box = await control.boundingBox();
      expect(box, `${await control.textContent()} is shown`).not.toBeNull();
      expect.soft(box!.x + box!.width).toBeLessThanOrEqual(width);
    }
    // The pages are one click away: in the bar, or in the menu when the bar has no room for them.
    const inBar = banner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^History/ });
    if (!(await inBar.isVisible())) {
      await banner.getByRole('button', { name: /^Menu/ }).click();
      await expect(inBar).toBeVisible();
      await page.keyboard.press('Escape');
    }
    await page.goto('/applications/storefront/pipelines');
    await expect(page.getByRole('link', { name: 'Ship storefront' }).first()).toBeVisible();
    // A pipeline's Manage is on screen without scrolling its table sideways.
    const manage = await page.getByRole('button', { name: 'Manage Ship storefront' }).boundingBox();
    expect.soft(manage!.x + manage!.width, 'Manage is inside the screen').toBeLessThanOrEqual(width);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screen(page, `top-bar-${width}-${scheme}`);
    }
  });
}
