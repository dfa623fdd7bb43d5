import type { Page } from '@playwright/test';
import { expect, test } from './journey';
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
/**
 * Connects two stages by dragging from one's right handle to the other's left handle, in steps as a
 * hand moves (a single jump, as locator.dragTo does, loses a connection drawn backwards, right to left).
 */
async function connect(page: Page, from: string, to: string) {
  const a = (await node(page, from).locator('.react-flow__handle.source').boundingBox())!;
  const b = (await node(page, to).locator('.react-flow__handle.target').boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
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
  await panel(page).getByLabel('Wait time (seconds)', { exact: true }).fill('5');
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
  await expect(problems.getByRole('button', { name: /Announce: Url must be an http\(s\) URL/ })).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/Not saved: fix the 1 problem/)).toBeVisible();
  await screen(page, 'editor-problem');

  // Another stage selected (it may sit under the problems list at the opening zoom: no actionability wait).
  await node(page, 'Soak').click({ force: true });
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

test('history: compare an old revision side by side, restore it, and it is saved as a new revision with the old content', async ({ page }) => {
  const id = await createPipeline(page, unique('History'), [
    { refId: '1', type: 'runJob', name: 'Build', config: { command: 'make' } },
    { refId: '2', type: 'wait', name: 'Soak', requisiteStageRefIds: ['1'], config: { seconds: 30 } },
  ]);
  await page.goto(editorUrl(id));
  // Revision 2: Soak is renamed and shortened, and an approval follows it.
  await node(page, 'Soak').click();
  await rename(page, 'Quick soak');
  await panel(page).getByLabel('Wait time (seconds)', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Add Manual judgment' }).click();
  await panel(page).getByLabel('Instructions').fill('Ship it?');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(status(page)).toHaveText('Saved · revision 2');

  await page.getByRole('button', { name: 'History' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revision history' });
  const revisions = dialog.getByRole('list', { name: 'Revisions' });
  await expect(revisions.getByRole('button')).toHaveCount(2);
  await expect(revisions.getByRole('button', { name: /Revision 2 \(current\)/ })).toContainText('3 stages');
  // The draft just saved, next to what the server stored: identical, whatever order the database keeps JSON keys in.
  await revisions.getByRole('button', { name: /Revision 2/ }).click();
  await expect(dialog.getByText('No differences.')).toBeVisible();
  await revisions.getByRole('button', { name: /Revision 1/ }).click();
  const diff = dialog.getByRole('table', { name: 'Differences between Revision 1 and Current (revision 2)' });
  await expect(diff.locator('tr[data-kind="changed"]', { hasText: '"name": "Soak"' })).toContainText('"name": "Quick soak"');
  await expect(diff.locator('tr[data-kind="changed"]', { hasText: '"seconds": 30' })).toContainText('"seconds": 5');
  await expect(diff.locator('tr[data-kind="added"]', { hasText: '"instructions": "Ship it?"' })).toBeVisible();
  await screen(page, 'editor-history-diff');

  await dialog.getByRole('button', { name: 'Restore this revision' }).click();
  await expect(dialog).toBeHidden();
  await expect(status(page)).toHaveText('Saved · revision 3');
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await expect(node(page, 'Soak')).toContainText('30s');
  await expect(node(page, 'Quick soak')).toHaveCount(0);

  // Stored as revision 3 with revision 1's content; revision 2 stays in the history.
  const stored = (await (await page.request.get(`/api/pipelines/${id}`)).json()) as { revision: number; stages: Array<{ name: string; config: unknown }> };
  expect(stored.revision).toBe(3);
  expect(stored.stages.map((s) => [s.name, s.config])).toEqual([
    ['Build', { command: 'make' }],
    ['Soak', { seconds: 30 }],
  ]);
  await page.reload();
  await expect(status(page)).toHaveText('Saved · revision 3');
  await page.getByRole('button', { name: 'History' }).click();
  await expect(page.getByRole('list', { name: 'Revisions' }).getByRole('button')).toHaveCount(3);
  await expect(page.getByRole('button', { name: /Revision 3 \(current\)/ })).toContainText('2 stages');
  await screen(page, 'editor-history-restored');
});

test('a stage after a cycle is unreachable: marked on the node and the list, and the server refuses it too', async ({ page }) => {
  const stages = [
    { refId: '1', type: 'runJob', name: 'Build', config: { command: 'make' } },
    { refId: '2', type: 'wait', name: 'Soak', requisiteStageRefIds: ['1'], config: { seconds: 5 } },
    { refId: '3', type: 'manualJudgment', name: 'Approve', requisiteStageRefIds: ['2'], config: { instructions: 'Go?' } },
    { refId: '4', type: 'wait', name: 'Cool down', requisiteStageRefIds: ['3'], config: { seconds: 1 } },
  ];
  const id = await createPipeline(page, unique('Unreachable'), stages);
  await page.goto(editorUrl(id));
  // The stages move once the layout arrives from the worker: connect after that.
  await expect(page.getByTestId('layout-time')).toBeVisible();
  // Approve → Soak closes a loop Soak → Approve → Soak: neither can start, so Cool down never runs.
  await connect(page, 'Approve', 'Soak');
  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(problems.getByRole('button', { name: /^Cool down: unreachable: it waits for 'Approve', which is part of a cycle/ })).toBeVisible();
  await expect(node(page, 'Cool down').getByLabel('1 problem')).toBeVisible();
  // Red: the two edges of the loop and the one Cool down waits on.
  const redEdges = () => page.locator('.react-flow__edge-path').evaluateAll((paths) => paths.filter((p) => getComputedStyle(p).stroke === 'rgb(220, 38, 38)').length);
  await expect.poll(redEdges).toBe(3);
  await screen(page, 'editor-unreachable');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/Not saved: fix the 2 problems/)).toBeVisible();

  // The BFF runs the same rules: the same draft sent straight to the API is refused, naming the stage.
  const cyclic = stages.map((s) => (s.refId === '2' ? { ...s, requisiteStageRefIds: ['1', '3'] } : s));
  const res = await page.request.put(`/api/pipelines/${id}`, { data: { baseRevision: 1, pipeline: { application: 'storefront', name: 'Unreachable', stages: cyclic } } });
  expect(res.status()).toBe(400);
  const body = (await res.json()) as { message: string; details: { problems: Array<{ stageName?: string; message: string }> } };
  expect(body.details.problems).toContainEqual(expect.objectContaining({ stageName: 'Cool down', message: "unreachable: it waits for 'Approve', which is part of a cycle" }));

  // Removing the loop fixes both.
  await node(page, 'Soak').click();
  await panel(page).getByRole('button', { name: 'Remove dependency on Approve' }).click();
  await expect(problems.getByText('No problems')).toBeVisible();
  await expect(node(page, 'Cool down').getByLabel('1 problem')).toHaveCount(0);
});

test('import a Spinnaker pipeline JSON file: Kiln stages mapped, the one Kiln cannot run kept as a placeholder that saves but blocks a run', async ({ page }) => {
  const id = await createPipeline(page, unique('Imported'));
  await page.goto(editorUrl(id));
  await page.getByLabel('Import a Spinnaker pipeline JSON file').setInputFiles({
    name: 'legacy.json',
    mimeType: 'application/json',
    buffer: readFileSync('e2e/fixtures/spinnaker-pipeline.json'),
  });
  // First the account map (the UI's --account-map): the manifest stage's Spinnaker account, kept by name here.
  const accounts = page.getByRole('dialog', { name: 'Map the accounts of legacy.json' });
  await expect(accounts.getByLabel('Kiln account for k8s-prod')).toBeVisible();
  await accounts.getByRole('button', { name: 'Import' }).click();
  const report = page.getByRole('dialog', { name: /Imported 5 stages from Spinnaker pipeline “Legacy deploy”/ });
  await expect(report).toContainText('5 stages: 4 mapped, 1 placeholder (Ship manifest (deployManifest))');
  await expect(report).toContainText("no recipe named 'legacyshop' in Kiln");
  await expect(report).toContainText('$.triggers[0]: Jenkins trigger imported as a webhook trigger');
  await expect(report).toContainText(/Webhook trigger 2 got a generated secret, shown only now: [0-9a-f]{48}/);
  await screen(page, 'editor-import-report');
  await report.getByRole('button', { name: 'OK' }).click();

  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  expect(await edgeCount(page)).toBe(5);
  await expect(node(page, 'Bake AMI')).toContainText('Bake');
  await expect(node(page, 'Ship manifest')).toContainText('placeholder (deployManifest): disabled, replace before running');
  await expect(node(page, 'Ticket')).toContainText('POST tickets.example.com/api');
  await node(page, 'Ship manifest').click();
  await expect(panel(page)).toContainText('"kind": "Deployment"');
  // A placeholder does not stop the save: the imported pipeline can be kept and worked on.
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(status(page)).toHaveText('Saved · revision 2');
  await screen(page, 'editor-import-placeholder');
  const refused = await page.request.post(`/api/pipelines/${id}/executions`, { data: { parameters: {} } });
  expect(refused.status()).toBe(409);
  expect(((await refused.json()) as { message: string }).message).toContain('placeholder stages to replace before it can run: Ship manifest (deployManifest)');

  // Replace it: the placeholder goes, and what is left runs.
  await panel(page).getByRole('button', { name: 'Delete stage' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(status(page)).toHaveText('Saved · revision 3');
  const stored = (await (await page.request.get(`/api/pipelines/${id}`)).json()) as { stages: Array<{ type: string }>; parameters: unknown[] };
  expect(stored.stages.map((s) => s.type)).toEqual(['wait', 'bake', 'webhook', 'manualJudgment']);
  expect(stored.parameters).toEqual([{ name: 'version', label: 'Version', default: '1.4.2', required: true }]);
});

test('JSON and YAML views edit the same draft; run from the editor opens the execution', async ({ page }) => {
  const id = await createPipeline(page, unique('Views'), [{ refId: '1', type: 'wait', name: 'Pause', config: { seconds: 1 } }]);
  await page.goto(editorUrl(id));
  await expect(node(page, 'Pause')).toBeVisible();
  await page.getByRole('button', { name: 'YAML', exact: true }).click();
  const yaml = page.getByLabel('Pipeline as YAML');
  await expect(yaml).toContainText('name: Pause');
  // In the code editor: to the end of the stage's name line, the name rubbed out and retyped, as a person does.
  await yaml.locator('.cm-line', { hasText: 'name: Pause' }).click();
  await page.keyboard.press('End');
  for (let i = 0; i < 'Pause'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('Short pause');
  await expect(page.getByText('Valid: the server would accept this pipeline.')).toBeVisible();
  await screen(page, 'editor-yaml');
  await page.getByRole('button', { name: 'JSON', exact: true }).click();
  await expect(page.getByLabel('Pipeline as JSON')).toContainText('"name": "Short pause"');
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
  await panel(page).getByLabel('Wait time (seconds)', { exact: true }).fill('later');
  await expect(node(page, 'Soak').getByLabel('1 problem')).toBeVisible();
  await expect(page.locator('.react-flow.dark')).toBeVisible();
  await screen(page, 'editor-dark');
});

test('zoomed far out, stages are drawn as plain tiles (still named for assistive tech); zooming in brings the details back', async ({ page }) => {
  const id = await createPipeline(page, unique('Zoom'), [
    { refId: '1', type: 'runJob', name: 'Build', config: { command: 'make' } },
    { refId: '2', type: 'wait', name: 'Soak', requisiteStageRefIds: ['1'], config: { seconds: 5 } },
  ]);
  await page.goto(editorUrl(id));
  await expect(page.getByTestId('layout-time')).toBeVisible();
  await expect(node(page, 'Build')).toContainText('$ make');
  await expect(page.getByRole('button', { name: 'Insert a stage between Build and Soak' })).toBeVisible();
  const zoomOut = page.getByRole('button', { name: 'Zoom Out' });
  for (let i = 0; i < 8; i++) await zoomOut.click();
  await expect(node(page, 'Build')).not.toContainText('$ make');
  await expect(node(page, 'Build')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Insert a stage between Build and Soak' })).toHaveCount(0);
  await screen(page, 'editor-zoomed-out');
  await page.getByRole('button', { name: 'Fit View' }).click();
  await expect(node(page, 'Build')).toContainText('$ make');
});

/** How many stages (their boxes on screen, shrunk by 2 px) the drawn edge passes over, sampled every 4 px along it. */
async function stagesUnderEdge(page: Page, from: string, to: string): Promise<string[]> {
  return page.locator(`.react-flow__edge[aria-label="Dependency from ${from} to ${to}"] path.react-flow__edge-path`).evaluate((el) => {
    const path = el as SVGPathElement;
    const ctm = path.getScreenCTM()!;
    const boxes = [...document.querySelectorAll('.react-flow__node')].map((n) => ({ name: n.getAttribute('aria-label') ?? '', box: n.getBoundingClientRect() }));
    const hit = new Set<string>();
    for (let at = 0; at <= path.getTotalLength(); at += 4) {
      const p = new DOMPoint(path.getPointAtLength(at).x, path.getPointAtLength(at).y).matrixTransform(ctm);
      for (const { name, box } of boxes) if (p.x > box.left + 2 && p.x < box.right - 2 && p.y > box.top + 2 && p.y < box.bottom - 2) hit.add(name);
    }
    return [...hit];
  });
}

test('a dependency that skips stages is drawn around them, along its own lane; dragging a stage makes it a direct curve', async ({ page }) => {
  const stage = (refId: string, name: string, deps: string[]) => ({ refId, type: 'wait', name, requisiteStageRefIds: deps, config: { seconds: 1 } });
  const id = await createPipeline(page, unique('Fan-out'), [
    stage('1', 'Build', []),
    stage('2', 'Unit tests', ['1']),
    stage('3', 'Lint', ['1']),
    stage('4', 'Package', ['1']),
    stage('5', 'Scan', ['4']),
    stage('6', 'Sign', ['5']),
    stage('7', 'Deploy', ['2', '3', '6', '1']),
  ]);
  await page.goto(editorUrl(id));
  await expect(page.getByTestId('layout-time')).toBeVisible();
  const direct = page.locator('.react-flow__edge[aria-label="Dependency from Build to Deploy"] path[data-routed]');
  await expect(direct).toHaveCount(1);
  expect(await stagesUnderEdge(page, 'Build', 'Deploy')).toEqual([]);
  await screen(page, 'editor-routed-fan-out');
  // The editor opens readable on the first stage; the whole graph is one click away, Deploy included.
  await page.getByRole('button', { name: 'Fit View' }).click();
  await expect(node(page, 'Deploy')).toBeInViewport();
  // Deploy dragged down: the lane no longer leads to it, so the edge goes straight to where it is now.
  const box = (await node(page, 'Deploy').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 160, { steps: 8 });
  await page.mouse.up();
  await expect(direct).toHaveCount(0);
  await expect(page.locator('.react-flow__edge[aria-label="Dependency from Build to Deploy"]')).toHaveCount(1);
  await page.getByRole('button', { name: 'Tidy up' }).click();
  await expect(direct).toHaveCount(1);
});

test('500 stages: long dependencies keep to their lanes; Fit View shows every stage, and zooming out can go that far', async ({ page }) => {
  // Layers of 8, each stage waiting for one or two of the layer before; every 7th also waits for one 2–5 columns back.
  const stages = Array.from({ length: 500 }, (_, i) => {
    const prev = (Math.floor(i / 8) - 1) * 8;
    const deps = i < 8 ? [] : [...new Set([prev + (i % 8), prev + ((i * 3 + 1) % 8)])];
    if (i % 7 === 0 && i >= 48) deps.push(i - 16 - (i % 4) * 8 - 8);
    return { refId: String(i), type: 'wait', name: `Stage ${i}`, requisiteStageRefIds: deps.map(String), config: { seconds: 1 } };
  });
  const id = await createPipeline(page, unique('Big'), stages);
  await page.goto(editorUrl(id));
  await expect(page.getByTestId('layout-time')).toContainText('layered');
  const routed = page.locator('.react-flow__edge path[data-routed]');
  await expect(routed.first()).toBeAttached();
  const names = await page.locator('.react-flow__edge:has(path[data-routed])').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  expect(names.length).toBeGreaterThan(0);
  for (const label of names.slice(0, 6)) {
    const [, from, to] = /^Dependency from (.*) to (.*)$/.exec(label)!;
    expect(await stagesUnderEdge(page, from!, to!), label).toEqual([]);
  }
  // Further along, where the long dependencies run (zoomed out a little, panned right).
  await page.getByRole('button', { name: 'Zoom Out' }).click();
  const pane = (await canvas(page).boundingBox())!;
  // Grab the canvas itself, not a stage (that would move the stage).
  const grip = await page.evaluate((p) => {
    for (let y = p.y + p.height - 10; y > p.y; y -= 10) {
      for (let x = p.x + p.width - 10; x > p.x + p.width / 2; x -= 10) if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
    }
    throw new Error('no empty spot on the canvas');
  }, pane);
  await page.mouse.move(grip.x, grip.y);
  await page.mouse.down();
  await page.mouse.move(grip.x - pane.width / 2, grip.y, { steps: 10 });
  await page.mouse.up();
  await expect(routed.first()).toBeAttached();
  await screen(page, 'editor-500-routed');
  // The whole graph on screen: every stage drawn (none culled), none outside the canvas, and it is not the zoom-out limit.
  await page.getByRole('button', { name: 'Fit View' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(500);
  await expect
    .poll(() =>
      page.locator('.react-flow__node').evaluateAll(
        (els, p) =>
          els.filter((el) => {
            const b = el.getBoundingClientRect();
            return b.left < p.x || b.right > p.x + p.width || b.top < p.y || b.bottom > p.y + p.height;
          }).length,
        pane,
      ),
    )
    .toBe(0);
  await expect(page.getByRole('button', { name: 'Zoom Out' })).toBeEnabled();
  await screen(page, 'editor-500-zoomed-out');
});
