import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import { screen } from './screens';

// Each journey opens the editor (and some a second browser) on a machine shared with other runs.
test.describe.configure({ timeout: 120_000 });

// An engineer's day in the pipeline editor (issue 17, items 1–5): it opens readable, new stages land
// in free space, the code view is a code editor with problems on their lines, messages are for
// people, pipelines run from the list, and someone without WRITE gets a read-only view.

const unique = (base: string) => `${base} ${Date.now().toString(36)}`;
const editorUrl = (id: string) => `/applications/storefront/pipelines/${id}/edit`;
const node = (page: Page, name: string) => page.getByRole('group', { name: `Stage ${name}`, exact: true });
const panel = (page: Page) => page.locator('[data-panel]');

async function createPipeline(page: Page, name: string, stages: unknown[], extra: Record<string, unknown> = {}): Promise<string> {
  const res = await page.request.post('/api/applications/storefront/pipelines', { data: { name, stages, ...extra } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
/** The release shape of the demo: six stages one after the other. */
const sixStages = ['Bake', 'Deploy to staging', 'Smoke test', 'Promote to production?', 'Deploy to production', 'Destroy old production group'].map((name, i) => ({
  refId: String(i + 1),
  type: 'wait',
  name,
  requisiteStageRefIds: i === 0 ? [] : [String(i)],
  config: { seconds: 1 },
}));
async function zoom(page: Page): Promise<number> {
  const transform = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  return Number(/scale\(([\d.]+)\)/.exec(transform)![1]);
}
/** Pairs of stages whose boxes on screen overlap. */
async function overlaps(page: Page): Promise<string[]> {
  return page.locator('.react-flow__node').evaluateAll((els) => {
    const boxes = els.map((e) => ({ name: e.getAttribute('aria-label') ?? '', b: e.getBoundingClientRect() }));
    const hits: string[] = [];
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((c) => {
        if (a.b.left < c.b.right && c.b.left < a.b.right && a.b.top < c.b.bottom && c.b.top < a.b.bottom) hits.push(`${a.name} / ${c.name}`);
      }),
    );
    return hits;
  });
}

for (const size of [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
]) {
  test(`a six-stage pipeline opens readable at ${size.width}×${size.height}, on its start; Fit View is one click away`, async ({ page }) => {
    await page.setViewportSize(size);
    const id = await createPipeline(page, unique('Release'), sixStages);
    await page.goto(editorUrl(id));
    await expect(page.getByTestId('layout-time')).toBeVisible();
    const opened = await zoom(page);
    expect(opened).toBeGreaterThanOrEqual(0.75);
    // Names at least 10 px tall on screen, and the first stage in view at the left.
    const nameSize = await node(page, 'Bake')
      .locator('.text-sm')
      .evaluate((el) => el.getBoundingClientRect().height);
    expect(nameSize).toBeGreaterThanOrEqual(10);
    await expect(node(page, 'Bake')).toBeInViewport();
    await screen(page, `editor-day-open-${size.width}`);
    // Fit View: everything on screen, names still shown (large) rather than blank tiles.
    await page.getByRole('button', { name: 'Fit View' }).click();
    await expect(node(page, 'Destroy old production group')).toBeInViewport();
    if ((await zoom(page)) < 0.6) await expect(node(page, 'Bake').locator('[data-detail="name"]')).toContainText('Bake');
    // Folding both panels gives the canvas their width.
    const before = (await page.locator('.react-flow').boundingBox())!.width;
    await page.getByRole('button', { name: 'Hide stage palette' }).click();
    await page.getByRole('button', { name: 'Hide settings' }).click();
    await expect.poll(async () => (await page.locator('.react-flow').boundingBox())!.width).toBeGreaterThan(before + 400);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Show stage palette' })).toBeVisible();
    await screen(page, `editor-day-panels-folded-${size.width}`);
  });
}

test('new stages land in free space: a second branch, a stage inserted with +; a click on an edge’s middle selects the edge', async ({ page }) => {
  const id = await createPipeline(page, unique('Branches'), [
    { refId: '1', type: 'wait', name: 'Build', config: { seconds: 1 } },
    { refId: '2', type: 'wait', name: 'Ship', requisiteStageRefIds: ['1'], config: { seconds: 1 } },
  ]);
  await page.goto(editorUrl(id));
  await expect(page.getByTestId('layout-time')).toBeVisible();
  await node(page, 'Build').click();
  await page.getByRole('button', { name: 'Add Webhook' }).click();
  await node(page, 'Build').click();
  await page.getByRole('button', { name: 'Add Run job' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  expect(await overlaps(page)).toEqual([]);

  // The "+" floats above its edge: a click on the edge's middle selects the edge.
  const edge = page.locator('.react-flow__edge[aria-label="Dependency from Build to Ship"] path.react-flow__edge-path');
  const mid = await edge.evaluate((el) => {
    const path = el as SVGPathElement;
    const p = path.getPointAtLength(path.getTotalLength() / 2);
    const q = new DOMPoint(p.x, p.y).matrixTransform(path.getScreenCTM()!);
    return { x: q.x, y: q.y };
  });
  await page.mouse.click(mid.x, mid.y);
  await expect(page.getByText(/click to add between Build and Ship/)).toBeVisible();

  await page.getByRole('button', { name: 'Insert a stage between Build and Ship' }).click();
  await page.getByRole('button', { name: 'Add Manual judgment' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  expect(await overlaps(page)).toEqual([]);
  await expect(page.locator('.react-flow__edge[aria-label="Dependency from Build to Ship"]')).toHaveCount(0);
  await screen(page, 'editor-day-free-space');
});

test('the code view marks a problem on its line, and the message is for people; the form field says the same', async ({ page }) => {
  const id = await createPipeline(page, unique('Code'), [
    { refId: '1', type: 'wait', name: 'Pause', config: { seconds: 1 } },
    { refId: '2', type: 'wait', name: 'Cool down', requisiteStageRefIds: ['1'], config: { seconds: 5 } },
  ]);
  await page.goto(editorUrl(id));
  await node(page, 'Cool down').click();
  await panel(page).getByLabel('Wait time (seconds)', { exact: true }).fill('-1');
  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(problems).toContainText('Cool down: Wait time must be 0 seconds or more');
  await expect(problems).not.toContainText('Too small');
  await expect(panel(page)).toContainText('Wait time must be 0 seconds or more');
  await page.getByRole('button', { name: 'JSON', exact: true }).click();
  const code = page.getByLabel('Pipeline as JSON');
  await expect(code).toContainText('"seconds": -1');
  // The underlined (problem) range is on the line holding the bad value.
  const marked = page.locator('.cm-lintRange-error');
  await expect(marked).toHaveCount(1);
  await expect(page.locator('.cm-line', { has: marked })).toContainText('"seconds": -1');
  await expect(page.locator('.cm-lint-marker-error')).toHaveCount(1);
  await expect(page.locator('.cm-foldGutter')).toBeVisible();
  await expect(page.getByLabel('Text problems')).toContainText(/line \d+: Cool down: Wait time must be 0 seconds or more/);
  await screen(page, 'editor-day-code-light');
  await page.evaluate(() => {
    localStorage.setItem('kiln-theme', 'dark');
    document.documentElement.classList.add('dark');
  });
  await expect(page.locator('.cm-editor')).toHaveCSS('background-color', 'rgb(9, 9, 11)');
  await screen(page, 'editor-day-code-dark');

  // The BFF says the same sentence (what the CLI prints).
  const stored = (await (await page.request.get(`/api/pipelines/${id}`)).json()) as { revision: number; stages: Array<{ config: Record<string, unknown> }> };
  stored.stages[1]!.config.seconds = -1;
  const refused = await page.request.put(`/api/pipelines/${id}`, { data: { baseRevision: stored.revision, pipeline: stored } });
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { message: string }).message).toBe("Stage 'Cool down': Wait time must be 0 seconds or more");
});

test('runs a pipeline from the pipelines list, with its parameters', async ({ page }) => {
  const name = unique('Listed');
  await createPipeline(page, name, [{ refId: '1', type: 'wait', name: 'Pause', config: { seconds: 1 } }], {
    parameters: [{ name: 'version', label: 'Version', default: '1.0.0' }],
  });
  await page.goto('/applications/storefront/pipelines');
  await page.getByRole('button', { name: `Run ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Run ${name}` });
  await dialog.getByLabel('Version').fill('2.0.0');
  await screen(page, 'editor-day-run-from-list');
  await dialog.getByRole('button', { name: 'Run revision 1' }).click();
  await expect(page).toHaveURL(/\/executions\/[^/]+$/);
  await expect(page.getByRole('button', { name: 'Re-run…' })).toBeVisible();
});

test('someone with READ on the application sees the pipeline read only', async ({ page, browser, request }) => {
  const role = await request.put('/api/admin/roles/storefront-readers', {
    data: { description: 'Look at storefront', grants: [{ resourceType: 'application', resource: 'storefront', permission: 'READ' }] },
  });
  expect(role.status()).toBe(200);
  const user = `rita${Date.now().toString(36)}`;
  expect(
    (await request.post('/api/admin/users', { data: { name: user, displayName: 'Rita Reader', password: 'rita-reader-password', roles: ['storefront-readers'] } })).status(),
  ).toBe(201);
  const id = await createPipeline(page, unique('Look only'), sixStages.slice(0, 3));

  const rita = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const ritaPage = await rita.newPage();
  await ritaPage.goto(editorUrl(id));
  await ritaPage.getByLabel('Name').fill(user);
  await ritaPage.getByLabel('Password').fill('rita-reader-password');
  await ritaPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(ritaPage.getByRole('note', { name: 'Read only' })).toContainText('you have READ permission on storefront, not WRITE');
  await expect(node(ritaPage, 'Bake')).toBeVisible();
  await expect(ritaPage.getByLabel('Search stage types')).toHaveCount(0);
  await expect(ritaPage.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await expect(ritaPage.getByRole('button', { name: /^Insert a stage between/ })).toHaveCount(0);
  // A stage cannot be dragged (a drag pans the whole canvas instead: the stages keep their distance).
  const gap = async () => (await node(ritaPage, 'Deploy to staging').boundingBox())!.x - (await node(ritaPage, 'Bake').boundingBox())!.x;
  const before = await gap();
  const box = (await node(ritaPage, 'Bake').boundingBox())!;
  await ritaPage.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await ritaPage.mouse.down();
  await ritaPage.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 150, { steps: 6 });
  await ritaPage.mouse.up();
  expect(await gap()).toBeCloseTo(before, 0);
  await node(ritaPage, 'Bake').click();
  await expect(ritaPage.locator('[data-panel]').getByLabel('Wait time (seconds)')).toBeDisabled();
  await screen(ritaPage, 'editor-day-read-only');
  await rita.close();
});
