import type { Locator, Page } from '@playwright/test';
import { expect, test } from './journey';
import { stageNode } from './execution-page';
import { screen } from './screens';
import { startWaitingRun } from './waiting-run';

// On-call with a phone (390×844, touch): find the waiting approval through the menu, read it,
// approve it. No page scrolls sideways, and what a thumb presses is at least 44 px tall.
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });

const MIN_TOUCH = 44;

async function expectNoSidewaysScroll(page: Page, what: string) {
  const { width, sticking } = await page.evaluate(() => {
    // The outermost elements reaching past the screen's edge: what to fix when the page is too wide.
    // (Not innerWidth: a phone widens its layout viewport to fit a page that is too wide.)
    const out = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => el.getBoundingClientRect().right > 391);
    const outermost = out.filter((el) => !out.some((other) => other !== el && other.contains(el)));
    return {
      width: document.documentElement.scrollWidth,
      sticking: outermost.slice(0, 5).map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> ${Math.round(el.getBoundingClientRect().right)} px`),
    };
  });
  console.log(`phone ${what}: page ${width} px wide`);
  expect.soft(width, `${what} scrolls sideways:\n${sticking.join('\n')}`).toBeLessThanOrEqual(390);
}

async function expectTouchTarget(target: Locator, what: string) {
  const box = await target.boundingBox();
  expect(box, `${what} is on screen`).not.toBeNull();
  expect.soft(box!.height, `${what} height`).toBeGreaterThanOrEqual(MIN_TOUCH);
  expect.soft(box!.width, `${what} width`).toBeGreaterThanOrEqual(MIN_TOUCH);
}

test('on a phone, on-call finds the approval in the menu, reads it and approves it', async ({ page, request }) => {
  test.setTimeout(120_000);
  const executionId = await startWaitingRun(request, 'Phone approval');
  try {
    await page.goto('/projects');
    await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
    await expectNoSidewaysScroll(page, 'projects');
    // The top bar has no room for the links: they are in the menu, which says approvals are waiting.
    await expect(page.getByRole('banner').getByRole('link', { name: /^Approvals/ })).toBeHidden();
    const menu = page.getByRole('button', { name: /^Menu/ });
    await expect(menu).toHaveAccessibleName(/\d+ waiting/);
    await expectTouchTarget(menu, 'menu button');
    await expectTouchTarget(page.getByRole('button', { name: 'Dark theme' }), 'theme toggle');
    await menu.tap();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const label of ['Projects', 'Applications', 'Running now', 'Images', 'Approvals']) {
      await expectTouchTarget(nav.getByRole('link', { name: new RegExp(`^${label}`) }), `menu link ${label}`);
    }
    await screen(page, 'phone-01-menu');
    // Escape closes it and leaves focus on the button.
    await page.keyboard.press('Escape');
    await expect(nav).toBeHidden();
    await expect(menu).toBeFocused();
    await menu.tap();
    await nav.getByRole('link', { name: /^Approvals/ }).tap();
    await expect(page).toHaveURL(/\/approvals$/);
    await expect(nav).toBeHidden();

    const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Phone approval' }) });
    const panel = item.getByRole('region', { name: 'Judgment: Promote' });
    await expect(panel.getByRole('button', { name: 'Approve' })).toBeVisible();
    await expectNoSidewaysScroll(page, 'approvals');
    await expectTouchTarget(panel.getByRole('button', { name: 'Approve' }), 'Approve in the inbox');
    await expectTouchTarget(panel.getByRole('button', { name: 'Reject' }), 'Reject in the inbox');
    await screen(page, 'phone-02-approvals');

    await item.getByRole('link', { name: 'Phone approval' }).tap();
    await expect(page).toHaveURL(new RegExp(`/executions/${executionId}`));
    await expect(stageNode(page, 'Build')).toHaveAccessibleName(/RUNNING/);
    await expectNoSidewaysScroll(page, 'execution');
    await screen(page, 'phone-03-execution');
    await stageNode(page, 'Promote').tap();
    const judgment = page.getByRole('region', { name: 'Judgment: Promote' });
    await expect(judgment.getByRole('button', { name: 'Approve' })).toBeVisible();
    await expectNoSidewaysScroll(page, 'execution with the judgment');
    await expectTouchTarget(judgment.getByRole('button', { name: 'Approve' }), 'Approve on the execution page');
    await expectTouchTarget(judgment.getByRole('button', { name: 'Reject' }), 'Reject on the execution page');
    await expectTouchTarget(judgment.getByLabel(/Comment/), 'comment box');
    await judgment.getByLabel(/Comment/).fill('build looks right from here');
    await screen(page, 'phone-04-judgment');
    await judgment.getByRole('button', { name: 'Approve' }).tap();
    await expect(judgment.getByRole('list', { name: 'Audit record' })).toContainText('Approved by ana');
    await expectNoSidewaysScroll(page, 'execution after approving');
    await screen(page, 'phone-05-approved');
  } finally {
    await request.post(`/api/executions/${executionId}/cancel`, { data: {} });
  }
});

test('the other main pages fit a phone too', async ({ page, request }) => {
  test.setTimeout(120_000);
  const pipelines = (await (await request.get('/api/applications/storefront/pipelines')).json()) as Array<{ id: string; name: string }>;
  const ship = pipelines.find((p) => p.name === 'Ship storefront')!;
  const pages: Array<[string, string, (p: Page) => Locator]> = [
    ['project', '/projects/demo', (p) => p.getByRole('heading', { name: 'storefront', exact: true })],
    ['applications', '/applications', (p) => p.getByRole('table', { name: 'Applications' })],
    ['clusters', '/applications/storefront/clusters', (p) => p.getByRole('heading', { name: 'prod', exact: true })],
    ['pipelines', '/applications/storefront/pipelines', (p) => p.getByRole('link', { name: 'Ship storefront' }).first()],
    ['editor', `/applications/storefront/pipelines/${ship.id}/edit`, (p) => p.getByText('Smoke test').first()],
    ['executions', '/applications/storefront/executions', (p) => p.getByRole('table').first()],
    ['running-now', '/running', (p) => p.getByRole('heading', { level: 1, name: 'Running now' })],
    ['images', '/images', (p) => p.getByRole('link', { name: 'storefront' }).first()],
    ['image-detail', '/images/storefront', (p) => p.getByRole('table').first()],
    ['accounts', '/admin/accounts', (p) => p.getByTestId('health-prod')],
    ['users', '/admin/users', (p) => p.getByRole('heading', { level: 1 })],
    ['audit', '/admin/audit', (p) => p.getByRole('heading', { level: 1 })],
  ];
  for (const [name, url, ready] of pages) {
    await page.goto(url);
    await expect(ready(page)).toBeVisible();
    await expectNoSidewaysScroll(page, name);
    await screen(page, `phone-page-${name}`);
  }
});

test('on a phone, Manage and the history rows are reached without scrolling sideways', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/applications/storefront/pipelines');
  const manage = page.getByRole('button', { name: 'Manage Ship storefront' });
  await expect(manage).toBeVisible();
  await expectNoSidewaysScroll(page, 'pipelines');
  // Inside the screen as the page opens: no sideways scroll of the table's card either.
  const box = await manage.boundingBox();
  expect(box!.x + box!.width, 'Manage is inside the screen').toBeLessThanOrEqual(390);
  await expectTouchTarget(manage, 'Manage');
  await manage.tap();
  await expect(page.getByRole('menuitem', { name: /^Rename/ })).toBeInViewport();
  await screen(page, 'phone-pipelines-manage');

  await page.goto('/applications/storefront/history');
  const table = page.getByRole('table', { name: 'Deployment history' });
  await expect(table).toBeVisible();
  await expectNoSidewaysScroll(page, 'history');
  // Each row's cells are stacked, so the last one (how long it took traffic) is on screen too.
  const lastCells = table.getByRole('cell').filter({ has: page.getByRole('list', { name: /^Traffic periods of / }) });
  const cell = await lastCells.first().boundingBox();
  expect(cell!.x + cell!.width, 'the traffic cell is inside the screen').toBeLessThanOrEqual(390);
  await screen(page, 'phone-history');
});
