import { mkdirSync } from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './journey';
import { screen } from './screens';

// Support staff reboot a misbehaving instance and terminate another from the server-group panel:
// the rebooted one keeps its id and comes back up, the terminated one is replaced. Its own application.
const APP = 'labinst';
const SHOTS = process.env.KILN_SHOTS_DIR;

async function json<T>(res: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(res.ok(), `${res.url()}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

async function shot(page: Page, name: string): Promise<void> {
  await screen(page, name);
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}.png` });
  }
}

const idIn = (text: string | null) => /i-[a-z0-9]+/.exec(text ?? '')![0];

test.afterAll(async ({ request }) => {
  await request.delete(`/api/applications/${APP}/server-groups/prod/local-east/${APP}-web-v001?confirm=${APP}-web-v001`);
});

test('reboot one instance in place and terminate another from the server-group panel', async ({ page, request }) => {
  test.setTimeout(180_000);
  await json(await request.post('/api/applications', { data: { name: APP, project: 'demo', ownerEmail: 'lab@example.com', description: 'Instance actions journey' } }));
  const pipeline = await json<{ id: string }>(
    await request.post(`/api/applications/${APP}/pipelines`, {
      data: {
        name: 'Deploy',
        stages: [
          {
            refId: 'deploy',
            type: 'deploy',
            name: 'Deploy',
            config: { account: 'prod', region: 'local-east', stack: 'web', image: 'sample-app:v1', capacity: { min: 1, desired: 2, max: 3 }, loadBalancers: [`${APP}-web`] },
          },
        ],
      },
    }),
  );
  const { id } = await json<{ id: string }>(await request.post(`/api/pipelines/${pipeline.id}/executions`, { data: {} }));
  await expect.poll(async () => (await json<{ status: string }>(await request.get(`/api/executions/${id}`))).status, { timeout: 60_000 }).toBe('SUCCEEDED');

  await page.goto(`/applications/${APP}/clusters`);
  await page.getByRole('link', { name: `${APP}-web-v001 in prod/local-east` }).click();
  const panel = page.getByRole('complementary', { name: `${APP}-web-v001` });
  const instances = panel.getByRole('table', { name: 'Instances' });
  await expect(instances.getByText('Up', { exact: true })).toHaveCount(2);
  await expect(panel.getByRole('button', { name: /^Terminate i-/ })).toHaveCount(2);
  await shot(page, 'instance-actions-panel');

  const [first, second] = (await instances.getByRole('rowheader').allTextContents()).map(idIn) as [string, string];
  await panel.getByRole('button', { name: `Reboot ${first}` }).click();
  await expect(panel.getByText(`Rebooting ${first}: it is out of traffic until it is healthy again.`)).toBeVisible();
  await expect(instances.getByRole('row', { name: new RegExp(first) }).getByText('Starting', { exact: true })).toBeVisible();
  await shot(page, 'instance-actions-rebooting');
  await expect(instances.getByRole('row', { name: new RegExp(first) }).getByText('Up', { exact: true })).toBeVisible({ timeout: 30_000 });

  await panel.getByRole('button', { name: `Terminate ${second}` }).click();
  const dialog = page.getByRole('dialog', { name: `Terminate ${second}?` });
  await expect(dialog).toContainText(`${APP}-web-v001 launches a new instance`);
  await shot(page, 'instance-actions-terminate-confirm');
  await dialog.getByRole('button', { name: `Terminate ${second}` }).click();
  await expect(panel.getByText(`Terminated ${second}; ${APP}-web-v001 starts a replacement.`)).toBeVisible();
  await expect(instances.getByRole('rowheader', { name: new RegExp(second) })).toHaveCount(0, { timeout: 30_000 });
  await expect(instances.getByText('Up', { exact: true })).toHaveCount(2, { timeout: 30_000 });
  await expect(instances.getByRole('rowheader', { name: new RegExp(first) })).toHaveCount(1);
  await shot(page, 'instance-actions-replaced');
});
