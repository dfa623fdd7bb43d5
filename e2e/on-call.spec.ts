import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './journey';
import { stageNode } from './execution-page';
import { screen } from './screens';

// The on-call engineer's release on the real local cloud: production runs v1; a release deploys
// v2 to staging, smoke-tests it (two checks side by side), waits for approval, then rolls it into
// production. The execution graph draws its edges, the approval says what it changes, and the
// production deploy shows its steps live. Its own application, so other journeys' counts stay as seeded.
const APP = 'oncall';

async function json<T>(res: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(res.ok(), `${res.url()}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

const prodDeploy = (image: string, extra: Record<string, unknown> = {}) => ({
  account: 'prod',
  region: 'local-east',
  stack: 'web',
  image,
  capacity: { min: 1, desired: 3, max: 3 },
  loadBalancers: ['oncall-web'],
  ...extra,
});

async function runToEnd(request: APIRequestContext, pipelineId: string): Promise<string> {
  const { id } = await json<{ id: string }>(await request.post(`/api/pipelines/${pipelineId}/executions`, { data: {} }));
  await expect.poll(async () => (await json<{ status: string }>(await request.get(`/api/executions/${id}`))).status, { timeout: 90_000 }).toBe('SUCCEEDED');
  return id;
}

async function dark(page: Page, name: string) {
  await page.evaluate(() => localStorage.setItem('kiln-theme', 'dark'));
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await screen(page, name);
  await page.evaluate(() => localStorage.setItem('kiln-theme', 'light'));
  await page.reload();
}

test.afterAll(async ({ request }) => {
  const view = (await (await request.get(`/api/applications/${APP}/clusters`)).json().catch(() => undefined)) as
    | { accounts: Array<{ clusters: Array<{ regions: Array<{ serverGroups: Array<{ name: string; account: string; region: string }> }> }> }> }
    | undefined;
  for (const sg of view?.accounts.flatMap((a) => a.clusters.flatMap((c) => c.regions.flatMap((r) => r.serverGroups))) ?? []) {
    await request.delete(`/api/applications/${APP}/server-groups/${sg.account}/${sg.region}/${sg.name}`);
  }
});

test('a release: the graph shows its edges, the approval says what changes, production rolls out step by step live', async ({ page, request }) => {
  test.setTimeout(240_000);
  await json(await request.post('/api/applications', { data: { name: APP, project: 'demo', ownerEmail: 'oncall@example.com', description: 'On-call journey' } }));
  const first = await json<{ id: string }>(
    await request.post(`/api/applications/${APP}/pipelines`, {
      data: { name: 'First production deploy', stages: [{ refId: 'd', type: 'deploy', name: 'Deploy', config: prodDeploy('sample-app:v1') }] },
    }),
  );
  await runToEnd(request, first.id);

  const release = await json<{ id: string }>(
    await request.post(`/api/applications/${APP}/pipelines`, {
      data: {
        name: 'Release',
        stages: [
          {
            refId: 'stg',
            type: 'deploy',
            name: 'Deploy to staging',
            config: { account: 'staging', region: 'local-east', stack: 'web', image: 'sample-app:v2', capacity: { min: 1, desired: 1, max: 2 }, loadBalancers: ['oncall-staging'] },
          },
          {
            refId: 'smoke',
            type: 'runJob',
            name: 'Smoke test',
            requisiteStageRefIds: ['stg'],
            config: { command: 'echo smoke test against ${ stages["Deploy to staging"].outputs.loadBalancers[0].address } passed' },
          },
          { refId: 'soak', type: 'wait', name: 'Soak in staging for a little while before anyone looks', requisiteStageRefIds: ['stg'], config: { seconds: 1 } },
          { refId: 'ok', type: 'manualJudgment', name: 'Approve production', requisiteStageRefIds: ['smoke', 'soak'], config: { instructions: 'Promote to production?' } },
          {
            refId: 'prod',
            type: 'deploy',
            name: 'Deploy to production',
            requisiteStageRefIds: ['ok'],
            config: prodDeploy('sample-app:v2', { strategy: 'rollingredblack', targetPercentages: [34, 67, 100], delayBetweenStepsSec: 2 }),
          },
        ],
      },
    }),
  );
  const { id } = await json<{ id: string }>(await request.post(`/api/pipelines/${release.id}/executions`, { data: {} }));
  await expect
    .poll(async () => (await json<{ stages: Array<{ refId: string; status: string }> }>(await request.get(`/api/executions/${id}`))).stages.find((s) => s.refId === 'ok')!.status, {
      timeout: 90_000,
    })
    .toBe('SUSPENDED');

  await page.goto(`/applications/${APP}/executions/${id}?stage=ok`);
  // The graph: fan-out from staging to the two checks, fan-in to the approval, then production.
  const edges = page.getByTestId('execution-edges').locator('[data-edge]');
  await expect(edges).toHaveCount(5);
  const soak = stageNode(page, 'Soak in staging for a little while before anyone looks');
  await soak.focus();
  await expect(page.getByRole('tooltip').filter({ hasText: 'Soak in staging for a little while before anyone looks — after Deploy to staging' })).toBeVisible();
  await page.getByRole('heading', { level: 1, name: 'Release' }).hover();

  // The approval says what changes, in words, with links.
  const changes = page.getByRole('region', { name: 'Judgment: Approve production' }).getByRole('region', { name: 'What this approval changes' });
  await expect(changes).toContainText(/prod\/local-east oncall-web runs sample-app:v1 \(3 instances, since \d+ s\)/);
  await expect(changes).toContainText('→ this promotes sample-app:v2');
  await expect(changes).toContainText(/oncall-web-v001 \(Deploy to staging\) healthy for \d+ (s|min) \(1\/1 instances\)/);
  await expect(changes).toContainText('Smoke test passed');
  await expect(changes.getByRole('link', { name: 'open staging' })).toHaveAttribute('href', /^http:\/\/127\.0\.0\.1:\d+\/$/);
  await screen(page, 'on-call-approval-context');
  await dark(page, 'on-call-approval-context-dark');

  // The inbox says the same.
  await page.goto('/approvals');
  const item = page.getByRole('list', { name: 'Waiting judgments' }).getByRole('listitem').filter({ hasText: 'Release' }).first();
  await expect(item.getByRole('region', { name: 'What this approval changes' })).toContainText('→ this promotes sample-app:v2');
  await screen(page, 'on-call-approvals-inbox');

  // Approve, and watch production roll out step by step while it happens.
  await page.goto(`/applications/${APP}/executions/${id}?stage=ok`);
  await page.getByRole('region', { name: 'Judgment: Approve production' }).getByRole('button', { name: 'Approve' }).click();
  await stageNode(page, 'Deploy to production').click();
  const progress = page.getByRole('region', { name: 'Deploy progress' });
  await expect(progress).toContainText(/Server group oncall-web-v002 created from sample-app:v2/, { timeout: 30_000 });
  await expect(progress).toContainText('oncall-web-v002 takes 34% of traffic, oncall-web-v001 66%', { timeout: 60_000 });
  // Still running when the first traffic step shows: the steps arrive live.
  await expect(stageNode(page, 'Deploy to production')).toHaveAccessibleName(/RUNNING/);
  await screen(page, 'on-call-deploy-live');
  await expect(progress).toContainText('oncall-web-v001 disabled', { timeout: 90_000 });
  await expect(progress).toContainText('oncall-web-v002 serves the cluster');
  await expect(progress.locator('[data-kind="healthy"]').last()).toContainText('3/3 instances of oncall-web-v002 healthy');
  await expect(progress.locator('[data-kind="traffic"]')).toHaveText([/34% of traffic/, /67% of traffic/, /100% of traffic/]);
  await expect(progress.locator('time').first()).toHaveText(/^\d\d:\d\d:\d\d/);
  await expect(page.getByText('Waiting for output…')).toHaveCount(0);
  await screen(page, 'on-call-deploy-done');
  await dark(page, 'on-call-deploy-done-dark');
  // Opened later, the page reads the same steps back.
  await page.reload();
  await expect(page.getByRole('region', { name: 'Deploy progress' })).toContainText('oncall-web-v002 serves the cluster');
});
