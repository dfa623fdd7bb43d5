import { readdirSync, readFileSync } from 'node:fs';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './journey';
import { screen } from './screens';

// The local cloud for real: a deploy pipeline starts instance processes behind a load balancer on
// 127.0.0.1, the clusters view shows their live health, a killed instance heals, and the panel's
// actions (rollback, resize, destroy) act on the processes behind a confirmation naming the group.
// Its own application, so the demo's counts in other journeys stay as seeded.
const APP = 'lab';

async function json<T>(res: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(res.ok(), `${res.url()}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

async function deploy(request: APIRequestContext, name: string, image: string): Promise<void> {
  const pipeline = await json<{ id: string }>(
    await request.post(`/api/applications/${APP}/pipelines`, {
      data: {
        name,
        stages: [
          {
            refId: 'deploy',
            type: 'deploy',
            name: 'Deploy',
            config: { account: 'prod', region: 'local-east', stack: 'web', image, capacity: { min: 1, desired: 2, max: 3 }, loadBalancers: ['lab-web'] },
          },
        ],
      },
    }),
  );
  const { id } = await json<{ id: string }>(await request.post(`/api/pipelines/${pipeline.id}/executions`, { data: {} }));
  await expect.poll(async () => (await json<{ status: string }>(await request.get(`/api/executions/${id}`))).status, { timeout: 60_000 }).toBe('SUCCEEDED');
}

/** The pid of an instance process, found by the KILN_INSTANCE_ID in its environment. */
function pidOf(instanceId: string): number {
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`KILN_INSTANCE_ID=${instanceId}`)) return Number(entry);
    } catch {
      // not ours, or gone
    }
  }
  throw new Error(`no process for ${instanceId}`);
}

async function answer(request: APIRequestContext): Promise<string> {
  const lbs = await json<Array<{ name: string; address: string }>>(await request.get(`/api/applications/${APP}/load-balancers`));
  const res = await fetch(`http://${lbs.find((l) => l.name === 'lab-web')!.address}/`);
  return res.text();
}

/** The instance id in a row header (which also holds the row's Log button). */
const idIn = (text: string | null) => /i-[a-z0-9]+/.exec(text ?? '')![0];

// Whatever the journey leaves running is destroyed, so no instance outlives the test.
test.afterAll(async ({ request }) => {
  const view = (await (await request.get(`/api/applications/${APP}/clusters`)).json().catch(() => undefined)) as
    | { accounts: Array<{ clusters: Array<{ regions: Array<{ serverGroups: Array<{ name: string; account: string; region: string }> }> }> }> }
    | undefined;
  for (const sg of view?.accounts.flatMap((a) => a.clusters.flatMap((c) => c.regions.flatMap((r) => r.serverGroups))) ?? []) {
    await request.delete(`/api/applications/${APP}/server-groups/${sg.account}/${sg.region}/${sg.name}`);
  }
});

const panel = (page: Page) => page.getByRole('complementary', { name: /lab-web-v00\d/ });

test('deploy v1 then v2 to the local cloud, heal a killed instance, roll back, resize and destroy from the panel', async ({ page, request }) => {
  test.setTimeout(180_000);
  await json(await request.post('/api/applications', { data: { name: APP, project: 'demo', ownerEmail: 'lab@example.com', description: 'Local cloud journey' } }));
  await deploy(request, 'Deploy v1', 'sample-app:v1');
  await deploy(request, 'Deploy v2', 'sample-app:v2');
  expect(await answer(request)).toMatch(/^sample-app v2 on lab-web-v002-/);

  await page.goto(`/applications/${APP}/clusters`);
  const v2 = page.getByRole('link', { name: 'lab-web-v002 in prod/local-east' });
  await expect(v2.getByRole('img', { name: /up$/ })).toHaveCount(2);
  await expect(page.getByRole('link', { name: 'lab-web-v001 in prod/local-east' }).getByRole('img', { name: /out of service$/i })).toHaveCount(2);
  await screen(page, 'local-cloud-clusters');

  await v2.click();
  await expect(panel(page).getByRole('group', { name: 'Server group actions' })).toBeVisible();
  const instances = panel(page).getByRole('table', { name: 'Instances' });
  await expect(instances.getByText('Up', { exact: true })).toHaveCount(2);
  await screen(page, 'local-cloud-panel');

  // Each instance's log (its stdout and stderr) is readable from the panel.
  const first = idIn(await instances.getByRole('rowheader').first().textContent());
  await panel(page)
    .getByRole('button', { name: `Log of ${first}` })
    .click();
  const log = panel(page).getByRole('region', { name: `Log of ${first}` });
  await expect(log).toContainText(`listening on 127.0.0.1:`);
  await expect(log).toContainText('reported ready');
  await screen(page, 'local-cloud-instance-log');
  await panel(page)
    .getByRole('button', { name: `Log of ${first}` })
    .click();

  // Kill one instance process: it shows down within seconds, then a replacement brings the group back to 2 up.
  const victim = idIn(await instances.getByRole('rowheader').first().textContent());
  process.kill(pidOf(victim), 'SIGKILL');
  await expect(instances.getByRole('row', { name: new RegExp(victim) }).getByText('Down', { exact: true })).toBeVisible({ timeout: 15_000 });
  await screen(page, 'local-cloud-instance-down');
  await expect(instances.getByText('Up', { exact: true })).toHaveCount(2, { timeout: 30_000 });
  await expect(instances.getByRole('rowheader', { name: new RegExp(victim) })).toHaveCount(0, { timeout: 30_000 });

  // Roll back behind a confirmation that names the group; traffic goes back to v1.
  await panel(page).getByRole('button', { name: 'Roll back' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll back cluster lab-web from lab-web-v002?' });
  await expect(dialog).toBeVisible();
  await screen(page, 'local-cloud-rollback-confirm');
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await expect(page.getByText('Rolled back lab-web: lab-web-v001 serves again, lab-web-v002 is disabled.')).toBeVisible({ timeout: 60_000 });
  expect(await answer(request)).toMatch(/^sample-app v1 on lab-web-v001-/);
  await screen(page, 'local-cloud-rolled-back');

  // Resize above max is refused with the server's message; within bounds it starts a third instance.
  await panel(page).getByRole('button', { name: 'Resize' }).click();
  const resize = page.getByRole('dialog', { name: 'Resize lab-web-v002?' });
  await resize.getByLabel('Desired instances').fill('5');
  await resize.getByRole('button', { name: 'Resize lab-web-v002' }).click();
  await expect(resize.getByRole('alert')).toHaveText('capacity.desired 5 is above max 3');
  await screen(page, 'local-cloud-resize-refused');
  await resize.getByLabel('Desired instances').fill('3');
  await resize.getByRole('button', { name: 'Resize lab-web-v002' }).click();
  await expect(instances.getByRole('row')).toHaveCount(4, { timeout: 30_000 });

  // Destroy: the confirmation names the group; afterwards it is gone with its processes.
  const pids = (await instances.getByRole('rowheader').allTextContents()).map((text) => pidOf(idIn(text)));
  await panel(page).getByRole('button', { name: 'Destroy' }).click();
  const destroy = page.getByRole('dialog', { name: 'Destroy lab-web-v002?' });
  await expect(destroy.getByText('This cannot be undone.', { exact: false })).toBeVisible();
  await destroy.getByRole('button', { name: 'Destroy lab-web-v002' }).click();
  await expect(page.getByRole('link', { name: 'lab-web-v002 in prod/local-east' })).toHaveCount(0, { timeout: 30_000 });
  await expect(panel(page)).toHaveCount(0);
  await expect(page.getByText('1 cluster · 1 server group · 2 instances')).toBeVisible();
  const alive = pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  expect(alive).toEqual([]);
  await screen(page, 'local-cloud-destroyed');

  // Traffic guard: with the cluster protected, its last enabled group cannot be disabled.
  await page.getByRole('link', { name: 'lab-web-v001 in prod/local-east' }).click();
  const guard = panel(page).getByRole('checkbox', { name: /Traffic guard: protect cluster lab-web in prod/ });
  await expect(guard).toBeEnabled();
  await guard.check();
  await expect(guard).toBeChecked();
  await panel(page).getByRole('button', { name: 'Disable' }).click();
  const disable = page.getByRole('dialog', { name: 'Disable lab-web-v001?' });
  await disable.getByRole('button', { name: 'Disable lab-web-v001' }).click();
  await expect(disable.getByRole('alert')).toContainText(
    "Traffic guard: cluster 'lab-web' in prod/local-east is protected and 'lab-web-v001' is its last enabled server group; refusing to disable it.",
  );
  await screen(page, 'local-cloud-traffic-guard');
  await disable.getByRole('button', { name: 'Cancel' }).click();
  expect(await answer(request)).toMatch(/^sample-app v1 on lab-web-v001-/);
  await guard.uncheck();
  await expect(guard).not.toBeChecked();
});
