import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './journey';
import { executionBadge, stageNode } from './execution-page';
import { screen } from './screens';

// The on-call journey against the real BFF and engine: a runJob whose log streams live, a manual
// judgment approved from the inbox in another browser, a reject with a comment, and log text or a
// comment holding markup and ANSI escapes shown as text.

const ESC = '\\033';
// Printed by /bin/sh: coloured lines and a line of markup. Halfway it waits until the test opens
// the gate (a URL on this machine; a job's /tmp is its own), so the page sees the build RUNNING
// however loaded the machine is: a fixed sleep could end before the page looked.
function buildCommand(gate: string): string {
  return [
    `printf '${ESC}[32mcompiling storefront${ESC}[0m\\n'`,
    `for i in $(seq 1 6); do echo "step $i of 12"; done`,
    // Bounded (2 min) so a failed journey leaves no job behind on the shared server.
    `n=0; until curl -sf -o /dev/null '${gate}' || wget -q -O /dev/null '${gate}' || [ $n -ge 600 ]; do sleep 0.2; n=$((n+1)); done`,
    `for i in $(seq 7 12); do echo "step $i of 12"; sleep 0.1; done`,
    `echo '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'`,
    `printf '${ESC}[1;31mbuild finished${ESC}[0m\\n'`,
  ].join('; ');
}

/** A URL that answers 404 until `open()`, then 200: the build waits for it. */
async function newGate(): Promise<{ url: string; open: () => void; close: () => Promise<void> }> {
  let opened = false;
  const server = createServer((_req, res) => void res.writeHead(opened ? 200 : 404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/release`,
    open: () => void (opened = true),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function createPipeline(request: APIRequestContext, name: string, gate: string): Promise<string> {
  const res = await request.post('/api/applications/storefront/pipelines', {
    data: {
      name,
      parameters: [{ name: 'version', default: '1.4.2' }],
      concurrency: { limitConcurrent: false },
      stages: [
        { refId: 'build', type: 'runJob', name: 'Build', config: { command: buildCommand(gate) } },
        {
          refId: 'promote',
          type: 'manualJudgment',
          name: 'Promote',
          requisiteStageRefIds: ['build'],
          config: { instructions: 'Read the build log, then promote storefront ${ parameters.version } to prod.' },
        },
        { refId: 'settle', type: 'wait', name: 'Settle', requisiteStageRefIds: ['promote'], config: { seconds: 1 } },
      ],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function start(request: APIRequestContext, pipelineId: string, parameters: Record<string, string> = { version: '1.4.2' }): Promise<string> {
  const res = await request.post(`/api/pipelines/${pipelineId}/executions`, { data: { parameters } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

test('watch a build log live, approve from the inbox in another browser, see it without reloading', async ({ page, browser, request }) => {
  test.setTimeout(150_000);
  const gate = await newGate();
  const pipelineId = await createPipeline(request, 'Release storefront', gate.url);
  const executionId = await start(request, pipelineId);

  await page.goto(`/applications/storefront/executions/${executionId}?stage=build`);
  const log = page.getByRole('region', { name: 'Log of Build' });
  await expect(log.getByText('step 6 of 12')).toBeVisible({ timeout: 20_000 });
  // The build waits at the gate, so it is still running while the first steps show.
  await expect(stageNode(page, 'Build')).toHaveAccessibleName(/RUNNING/);
  await expect(log.getByText('step 7 of 12')).toHaveCount(0);
  await screen(page, 'execution-log-live');
  // Released: the rest of the log arrives over the live stream, with no reload.
  gate.open();
  await expect(log.getByText('build finished')).toBeVisible({ timeout: 15_000 });
  await gate.close();
  await expect(log.getByText('compiling storefront')).toHaveCSS('color', 'rgb(0, 187, 0)');
  await expect(log.getByText('build finished')).toHaveCSS('color', 'rgb(187, 0, 0)');
  await expect(log.getByText(/^<script>window.__pwned = 1<\/script><img/)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // 1 + 12 + 2 lines, each once: the history read and the live events did not double any.
  await expect(log.getByText('15 lines')).toBeVisible();

  // Search and the permalink of a line.
  await log.getByRole('searchbox', { name: 'Search the log' }).fill('step');
  await expect(log.getByText('1 of 12 matches')).toBeVisible();
  await log.getByRole('button', { name: 'Next match' }).click();
  await expect(log.getByText('2 of 12 matches')).toBeVisible();
  await log.getByRole('link', { name: 'Line 3' }).click();
  await expect(page).toHaveURL(/\?stage=build#L3$/);
  await screen(page, 'execution-log-done');

  await expect(stageNode(page, 'Promote')).toHaveAccessibleName(/SUSPENDED/);
  await stageNode(page, 'Promote').click();
  await expect(page.getByRole('region', { name: 'Judgment: Promote' }).getByText(/then promote storefront/)).toBeVisible();
  await screen(page, 'execution-waiting');

  // A second person, in another browser, approves from the inbox.
  const other = await browser.newContext();
  const inbox = await other.newPage();
  await inbox.goto('/approvals');
  // A fresh browser loads the whole app: on a machine this loaded that alone has taken over 10 s.
  await expect(inbox.getByRole('navigation', { name: 'Main' }).getByLabel(/\d+ waiting/)).toBeVisible({ timeout: 30_000 });
  const item = inbox.getByRole('listitem').filter({ has: inbox.getByRole('link', { name: 'Release storefront' }) });
  const panel = item.getByRole('region', { name: 'Judgment: Promote' });
  await expect(panel.getByLabel('What is being shipped')).toContainText('1.4.2');
  await screen(inbox, 'approvals-inbox');
  await panel.getByLabel(/Comment/).fill('<b>looks good</b> \x1b[31m<script>window.__pwned = 3</script>');
  await panel.getByRole('button', { name: 'Approve' }).click();
  await expect(panel.getByRole('list', { name: 'Audit record' })).toContainText('Approved by ana');
  await expect(panel.getByRole('list', { name: 'Audit record' })).toContainText('<b>looks good</b>');
  expect(await inbox.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await screen(inbox, 'approvals-inbox-approved');
  await other.close();

  // The first page learns of it over the live stream: no reload.
  await expect(stageNode(page, 'Promote')).toHaveAccessibleName(/SUCCEEDED/, { timeout: 5_000 });
  await expect(page.getByRole('region', { name: 'Judgment: Promote' }).getByRole('list', { name: 'Audit record' })).toContainText('<b>looks good</b>');
  await expect(executionBadge(page, 'Release storefront')).toHaveText('Succeeded', { timeout: 10_000 });
  await expect(stageNode(page, 'Settle')).toHaveAccessibleName(/SUCCEEDED/);
  await screen(page, 'execution-succeeded');
});

test('a rejection with a comment ends the execution and shows the comment as text', async ({ page, request }) => {
  test.setTimeout(60_000);
  // The build is not what this journey watches: its gate is open from the start.
  const gate = await newGate();
  gate.open();
  const pipelineId = await createPipeline(request, 'Release storefront (rejected)', gate.url);
  const executionId = await start(request, pipelineId);

  await page.goto(`/applications/storefront/executions/${executionId}?stage=promote`);
  const panel = page.getByRole('region', { name: 'Judgment: Promote' });
  await expect(panel.getByRole('button', { name: 'Reject' })).toBeVisible({ timeout: 20_000 });
  await expect(panel.getByRole('button', { name: 'Reject' })).toBeDisabled();
  const comment = 'error rate doubled <script>window.__pwned = 4</script>';
  await panel.getByLabel(/Comment/).fill(comment);
  await panel.getByRole('button', { name: 'Reject' }).click();

  await expect(panel.getByRole('list', { name: 'Audit record' })).toContainText(`Rejected by ana`);
  await expect(panel.getByRole('list', { name: 'Audit record' })).toContainText(comment);
  await expect(page.getByRole('region', { name: 'Stage Promote' }).getByText(`rejected by ana: ${comment}`)).toBeVisible();
  await expect(stageNode(page, 'Settle')).toHaveAccessibleName(/NOT_STARTED|CANCELED|SKIPPED/);
  await expect(executionBadge(page, 'Release storefront (rejected)')).toHaveText('Failed');
  await gate.close();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await screen(page, 'execution-rejected');

  await page.goto('/applications/storefront/executions?status=TERMINAL');
  await expect(page.getByRole('table', { name: 'Executions' }).getByRole('link', { name: 'Release storefront (rejected)' })).toBeVisible();
  await screen(page, 'executions-list');
});

test('a dropped live stream resumes after the last event, and the log misses nothing and doubles nothing', async ({ page, request }) => {
  // The job prints half its lines, then waits at a gate the test opens once the run is paused: it
  // is surely still running when the pause comes, however loaded the machine (a fixed 20 s was not).
  test.setTimeout(90_000);
  const gate = await newGate();
  const command = [
    `for i in $(seq 1 20); do echo "tick $i"; sleep 0.1; done`,
    `n=0; until curl -sf -o /dev/null '${gate.url}' || wget -q -O /dev/null '${gate.url}' || [ $n -ge 600 ]; do sleep 0.2; n=$((n+1)); done`,
    `for i in $(seq 21 40); do echo "tick $i"; sleep 0.1; done`,
  ].join('; ');
  const created = await request.post('/api/applications/storefront/pipelines', {
    data: { name: 'Slow printer', concurrency: { limitConcurrent: false }, stages: [{ refId: 'job', type: 'runJob', name: 'Job', config: { command } }] },
  });
  const executionId = await start(request, ((await created.json()) as { id: string }).id, {});
  // The first stream delivers event 1 and then ends, as a dropped connection would, mid-run. The
  // page must re-open it from there: the server then replays every later event, log lines included.
  const streams: string[] = [];
  await page.route('**/api/events**', async (route) => {
    streams.push(new URL(route.request().url()).search);
    if (streams.length > 1) return route.continue();
    const first = { id: 1, type: 'execution.created', application: 'storefront', executionId, at: new Date().toISOString(), data: {} };
    return route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: `id: 1\nevent: execution.created\ndata: ${JSON.stringify(first)}\n\n` });
  });
  await page.goto(`/applications/storefront/executions/${executionId}?stage=job`);
  const log = page.getByRole('region', { name: 'Log of Job' });
  await expect(log.getByText('tick 3', { exact: true })).toBeVisible({ timeout: 20_000 });
  const running = await page.context().newPage();
  await running.goto('/running');
  await expect(running.getByRole('table', { name: 'Running executions' }).getByRole('link', { name: 'Slow printer' })).toBeVisible();
  await screen(running, 'running-now');
  await running.close();

  // Pause while the job runs (it keeps printing), then resume; the record says who and why.
  await page.getByRole('button', { name: 'Pause' }).click();
  await page
    .getByRole('dialog')
    .getByLabel(/Reason/)
    .fill('checking the dashboards');
  await page.getByRole('dialog').getByRole('button', { name: 'Pause' }).click();
  await expect(executionBadge(page, 'Slow printer')).toHaveText('Paused');
  await expect(page.getByText('checking the dashboards', { exact: true })).toBeVisible();
  // Released while paused: the job keeps printing (a pause holds the stages, not a running job).
  gate.open();
  await screen(page, 'execution-paused');
  await page.getByRole('button', { name: 'Resume' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Resume' }).click();
  await expect(executionBadge(page, 'Slow printer')).not.toHaveText('Paused');

  await expect(log.getByText('tick 40', { exact: true })).toBeVisible({ timeout: 30_000 });
  await gate.close();
  expect(streams.slice(0, 2)).toEqual(['', '?after=1']);
  await expect(log.getByText('40 lines')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^Live$/ })).toBeVisible();
});

test('a long finished log opens at its end, loads earlier lines when scrolled up, and shows times on request', async ({ page, request }) => {
  test.setTimeout(90_000);
  const res = await request.post('/api/applications/storefront/pipelines', {
    data: {
      name: 'Long log',
      concurrency: { limitConcurrent: false },
      stages: [{ refId: 'job', type: 'runJob', name: 'Job', config: { command: 'seq 1 12000 | sed "s/^/row /"' } }],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  const executionId = await start(request, ((await res.json()) as { id: string }).id, {});
  await expect.poll(async () => ((await (await request.get(`/api/executions/${executionId}`)).json()) as { status: string }).status, { timeout: 30_000 }).toBe('SUCCEEDED');

  await page.goto(`/applications/storefront/executions/${executionId}?stage=job`);
  const log = page.getByRole('region', { name: 'Log of Job' });
  // The end is on screen at once, numbered as in the whole log; only the last page is loaded.
  await expect(log.locator('[data-line="12000"]')).toContainText('row 12000');
  await expect(log.getByText('12,000 lines', { exact: true })).toBeVisible();
  await expect(log.getByText('(1,000 loaded)')).toBeVisible();
  await expect(log.locator('[data-line="1"]')).toHaveCount(0);
  await screen(page, 'execution-log-tail');

  // Scrolling to the top of what is loaded fetches the page before; the line that was at the top stays put.
  const scroller = log.getByTestId('log-scroll');
  await scroller.evaluate((el) => (el.scrollTop = 0));
  await expect(log.getByText('(6,000 loaded)')).toBeVisible();
  const top = await scroller.evaluate((el) => {
    const row = el.querySelector<HTMLElement>('[data-line="11001"]');
    return row ? row.getBoundingClientRect().top - el.getBoundingClientRect().top : null;
  });
  expect(top).not.toBeNull();
  expect(Math.abs(top!)).toBeLessThan(60);
  await expect(log.locator('[data-line="11001"]')).toContainText('row 11001');

  // Timestamps: off by default, on when ticked, still on after a reload.
  await expect(log.locator('time')).toHaveCount(0);
  await log.getByRole('checkbox', { name: 'Timestamps' }).check();
  await expect(log.locator('[data-line="11001"] time')).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);
  await screen(page, 'execution-log-timestamps');
  await page.reload();
  await expect(page.getByRole('region', { name: 'Log of Job' }).locator('[data-line="12000"] time')).toBeVisible();

  // Scrolled far up and wrapped: rows stay in reading order in the page (a selection copies lines
  // in order) and never overlap.
  const again = page.getByRole('region', { name: 'Log of Job' });
  await again.getByRole('checkbox', { name: 'Wrap lines' }).check();
  await again.getByTestId('log-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await expect
    .poll(() =>
      again.getByTestId('log-scroll').evaluate((el) => {
        const rows = [...el.querySelectorAll<HTMLElement>('[data-line]')];
        const numbers = rows.map((r) => Number(r.dataset.line));
        const boxes = rows.map((r) => r.getBoundingClientRect());
        const inOrder = numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1);
        const apart = boxes.every((b, i) => i === 0 || b.top >= boxes[i - 1]!.bottom - 0.5);
        return rows.length > 10 && inOrder && apart;
      }),
    )
    .toBe(true);
  await screen(page, 'execution-log-wrapped');
});
