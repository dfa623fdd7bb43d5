import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { screen } from './screens';

// The pipeline editor against the real BFF: stages built by drag and drop, validated, saved,
// reloaded, conflicting with a second browser, and imported from Spinnaker.

const unique = (base: string) => `${base} ${Date.now().toString(36)}`;

async function createPipeline(page: Page, name: string, stages: unknown[] = []): Promise<string> {
  const res = await page.request.post('/api/applications/storefront/pipelines', { data: { name, stages } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
const editorUrl = (id: string) => `/applications/storefront/pipelines/${id}/edit`;
const canvas = (page: Page) => page.locator('.react-flow__pane');
const node = (page: Page, name: string) => page.getByRole('group', { name: `Stage ${name}`, exact: true });
const panel = (page: Page) => page.locator('[data-panel]');
const status = (page: Page) => page.getByRole('toolbar', { name: 'Pipeline editor' }).getByRole('status');

/** Drags a palette entry to a point of the canvas (HTML5 drag and drop, as a person does). */
async function dropStage(page: Page, label: string, x: number, y: number) {
  const search = page.getByLabel('Search stage types');
  await search.fill(label);
  await page.getByRole('button', { name: `Add ${label}` }).dragTo(canvas(page), { targetPosition: { x, y } });
  await search.fill('');
}
async function rename(page: Page, name: string) {
  const field = panel(page).getByLabel('Name', { exact: true });
  await field.fill(name);
}
/** Connects two stages by dragging from one's right handle to the other's left handle. */
async function connect(page: Page, from: string, to: string) {
  await node(page, from).locator('.react-flow__handle.source').dragTo(node(page, to).locator('.react-flow__handle.target'));
}
const edgeCount = (page: Page) => page.locator('.react-flow__edge').count();

test('build a six-stage pipeline with a fork and a join by drag and drop, fix a problem, save and reload', async ({ page }) => {
  test.setTimeout(120_000);
  const name = unique('Release');
  await page.goto('/applications/storefront/pipelines');
  await page.getByRole('button', { name: 'New pipeline' }).click();
  await page.getByLabel('Pipeline name').fill(name);
  await page.getByRole('button', { name: 'Create and edit' }).click();
  await expect(page).toHaveURL(/\/pipelines\/[0-9a-f-]{36}\/edit$/);
  await expect(status(page)).toHaveText('Saved · revision 1');

  await dropStage(page, 'Run job', 130, 130);
  await rename(page, 'Build');
  await panel(page).getByLabel('Command').fill('make build');
  await dropStage(page, 'Run job', 390, 60);
  await rename(page, 'Unit tests');
  await panel(page).getByLabel('Command').fill('make test');
  await dropStage(page, 'Wait', 390, 210);
  await rename(page, 'Soak');
  await panel(page).getByLabel('Seconds', { exact: true }).fill('5');
  await dropStage(page, 'Manual judgment', 650, 130);
  await rename(page, 'Approve');
  await panel(page).getByLabel('Instructions').fill('Ship it?');
  await dropStage(page, 'Evaluate variables', 390, 360);
  await rename(page, 'Pick version');
  await dropStage(page, 'Webhook', 650, 290);
  await rename(page, 'Announce');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);

  await connect(page, 'Build', 'Unit tests');
  await connect(page, 'Build', 'Soak');
  await connect(page, 'Unit tests', 'Approve');
  await connect(page, 'Soak', 'Approve');
  await connect(page, 'Approve', 'Pick version');
  await connect(page, 'Pick version', 'Announce');
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);
  await page.getByRole('button', { name: 'Tidy up' }).click();
  await expect(page.getByTestId('layout-time')).toContainText('ELK, in a worker');
  await screen(page, 'editor-built');

  // A bad URL: the node, the form and the problems list all say so, and the save is refused.
  await node(page, 'Announce').click();
  await panel(page).getByLabel('Url').fill('not a url');
  await expect(node(page, 'Announce').getByLabel('1 problem')).toBeVisible();
  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(problems.getByRole('button', { name: /Announce: must be an http\(s\) URL/ })).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/Not saved: fix the 1 problem/)).toBeVisible();
  await screen(page, 'editor-problem');

  await node(page, 'Soak').click();
  await problems.getByRole('button', { name: /Announce:/ }).click();
  await expect(panel(page).getByRole('region', { name: 'Stage Announce' })).toBeVisible();
  await panel(page).getByLabel('Url').fill('https://chat.example.com/hooks/release');
  await expect(problems.getByText('No problems')).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(status(page)).toHaveText('Saved · revision 2');

  await page.reload();
  await expect(page.getByTestId('layout-time')).toContainText('ELK, in a worker');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  expect(await edgeCount(page)).toBe(6);
  for (const stage of ['Build', 'Unit tests', 'Soak', 'Approve', 'Pick version', 'Announce']) await expect(node(page, stage)).toBeVisible();
  await expect(node(page, 'Build')).toContainText('$ make build');
  // Laid out left to right: the fork's branches sit between Build and the join.
  const x = async (n: string) => (await node(page, n).boundingBox())!.x;
  expect(await x('Build')).toBeLessThan(await x('Unit tests'));
  expect(await x('Soak')).toBeLessThan(await x('Approve'));
  expect(await x('Approve')).toBeLessThan(await x('Announce'));
  await screen(page, 'editor-reloaded');
});

test('undo and redo every edit from the keyboard; tab to a stage, Enter edits, Delete removes', async ({ page }) => {
  const id = await createPipeline(page, unique('Undo'), [
    { refId: '1', type: 'runJob', name: 'Build', config: { command: 'make' } },
    { refId: '2', type: 'wait', name: 'Soak', requisiteStageRefIds: ['1'], config: { seconds: 5 } },
  ]);
  await page.goto(editorUrl(id));
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await dropStage(page, 'Manual judgment', 500, 300);
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await canvas(page).click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await expect(status(page)).toHaveText('Saved · revision 1');
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await expect(status(page)).toHaveText('Unsaved changes');

  await node(page, 'Soak').focus();
  await page.keyboard.press('Enter');
  await expect(panel(page).getByLabel('Name', { exact: true })).toBeFocused();
  await node(page, 'Soak').focus();
  await page.keyboard.press('Delete');
  await expect(node(page, 'Soak')).toHaveCount(0);
  await canvas(page).click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+z');
  await expect(node(page, 'Soak')).toBeVisible();
  expect(await edgeCount(page)).toBe(1);
});

test('a save that conflicts with one from a second browser shows both and overwrites only when asked', async ({ page, browser }) => {
  const id = await createPipeline(page, unique('Conflict'), [{ refId: '1', type: 'wait', name: 'Pause', config: { seconds: 1 } }]);
  const other = await browser.newContext();
  const alice = await other.newPage();
  await Promise.all([page.goto(editorUrl(id)), alice.goto(editorUrl(id))]);

  await node(alice, 'Pause').click();
  await rename(alice, 'Pause (alice)');
  await alice.getByRole('button', { name: 'Save' }).click();
  await expect(status(alice)).toHaveText('Saved · revision 2');

  await node(page, 'Pause').click();
  await rename(page, 'Pause (mine)');
  await page.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: /saved revision 2 while you were editing/ });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('table')).toContainText('"name": "Pause (alice)"');
  await expect(dialog.getByRole('table')).toContainText('"name": "Pause (mine)"');
  await screen(page, 'editor-conflict');

  await dialog.getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(status(page)).toHaveText('Saved · revision 3');
  const stored = (await (await page.request.get(`/api/pipelines/${id}`)).json()) as { revision: number; stages: Array<{ name: string }> };
  expect(stored.revision).toBe(3);
  expect(stored.stages[0]!.name).toBe('Pause (mine)');
  await other.close();
});

test('import a Spinnaker pipeline JSON file: known stages mapped, the unknown one kept and blocking the save', async ({ page }) => {
  const id = await createPipeline(page, unique('Imported'));
  await page.goto(editorUrl(id));
  await page.getByLabel('Import a Spinnaker pipeline JSON file').setInputFiles({
    name: 'legacy.json',
    mimeType: 'application/json',
    buffer: readFileSync('e2e/fixtures/spinnaker-pipeline.json'),
  });
  const report = page.getByRole('dialog', { name: /Imported 4 stages from Spinnaker pipeline “Legacy deploy”/ });
  // Spinnaker's bake (a package on a base OS) is not Kiln's bake (a stored recipe): kept, renamed so the two never mix.
  await expect(report).toContainText('kept as unsupported stages: Bake AMI (spinnaker:bake)');
  await expect(report).toContainText("'jenkins' triggers do not exist in Kiln");
  await screen(page, 'editor-import-report');
  await report.getByRole('button', { name: 'OK' }).click();

  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  expect(await edgeCount(page)).toBe(4);
  await expect(node(page, 'Bake AMI')).toContainText('Unsupported: spinnaker:bake');
  await expect(node(page, 'Ticket')).toContainText('POST tickets.example.com/api');
  await node(page, 'Bake AMI').click();
  await expect(panel(page)).toContainText('"baseOs": "trusty"');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('region', { name: 'Problems' })).toContainText("unknown stage type 'spinnaker:bake'");
  await screen(page, 'editor-import-unsupported');

  // Replace it: a Kiln stage on its incoming edge, then the unsupported one goes.
  await panel(page).getByRole('button', { name: 'Delete stage' }).click();
  await connect(page, 'Cool down', 'Approve');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(status(page)).toHaveText('Saved · revision 2');
  const stored = (await (await page.request.get(`/api/pipelines/${id}`)).json()) as { stages: Array<{ type: string }>; parameters: unknown[] };
  expect(stored.stages.map((s) => s.type)).toEqual(['wait', 'webhook', 'manualJudgment']);
  expect(stored.parameters).toEqual([{ name: 'version', label: 'Version', default: '1.4.2', required: true }]);
});

test('JSON and YAML views edit the same draft; run from the editor opens the execution', async ({ page }) => {
  const id = await createPipeline(page, unique('Views'), [{ refId: '1', type: 'wait', name: 'Pause', config: { seconds: 1 } }]);
  await page.goto(editorUrl(id));
  await expect(node(page, 'Pause')).toBeVisible();
  await page.getByRole('button', { name: 'YAML', exact: true }).click();
  const yaml = page.getByLabel('Pipeline as YAML');
  await expect(yaml).toHaveValue(/name: Pause/);
  await yaml.fill((await yaml.inputValue()).replace('name: Pause', 'name: Short pause'));
  await expect(page.getByText('Valid: the server would accept this pipeline.')).toBeVisible();
  await screen(page, 'editor-yaml');
  await page.getByRole('button', { name: 'JSON', exact: true }).click();
  await expect(page.getByLabel('Pipeline as JSON')).toHaveValue(/"name": "Short pause"/);
  await page.getByRole('button', { name: 'Graph' }).click();
  await expect(node(page, 'Short pause')).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(status(page)).toHaveText('Saved · revision 2');

  await page.getByRole('button', { name: 'Run…' }).click();
  await page.getByRole('dialog', { name: /^Run / }).getByRole('button', { name: 'Run revision 2' }).click();
  await expect(page).toHaveURL(/\/executions\/[^/]+$/);
});

test('dark theme', async ({ page }) => {
  const id = await createPipeline(page, unique('Dark'), [
    { refId: '1', type: 'runJob', name: 'Build', config: { command: 'make' } },
    { refId: '2', type: 'wait', name: 'Soak', requisiteStageRefIds: ['1'], config: { seconds: 5 } },
  ]);
  await page.addInitScript(() => localStorage.setItem('kiln-theme', 'dark'));
  await page.goto(editorUrl(id));
  await node(page, 'Soak').click();
  await panel(page).getByLabel('Seconds', { exact: true }).fill('later');
  await expect(node(page, 'Soak').getByLabel('1 problem')).toBeVisible();
  await expect(page.locator('.react-flow.dark')).toBeVisible();
  await screen(page, 'editor-dark');
});
