import { resolve } from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './journey';
import { screen } from './screens';

// The bakery end to end: a recipe baked by a pipeline's Bake stage (live Packer-style log), the
// image deployed to the local cloud from the stage's output, then the registry pages: versions,
// where it runs, a channel move, a revocation with its reason spreading to a child image, and the
// recipe edited as YAML. Its own application, so other journeys' counts stay as seeded.
const APP = 'bakery';
const SAMPLE_APP = resolve('src/engine/cloud/images/sample-app.mjs');

async function json<T>(res: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(res.ok(), `${res.url()}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

async function run(request: APIRequestContext, name: string, stages: unknown[]): Promise<string> {
  const pipeline = await json<{ id: string }>(await request.post(`/api/applications/${APP}/pipelines`, { data: { name, stages } }));
  const { id } = await json<{ id: string }>(await request.post(`/api/pipelines/${pipeline.id}/executions`, { data: {} }));
  // Polls until the execution ends; a failure shows each stage's error, not just TERMINAL.
  let outcome = '';
  await expect
    .poll(
      async () => {
        const execution = await json<{ status: string; stages: Array<{ name: string; status: string; error?: string }> }>(await request.get(`/api/executions/${id}`));
        outcome = [execution.status, ...execution.stages.filter((st) => st.error).map((st) => `${st.name}: ${st.error}`)].join(' | ');
        return execution.status;
      },
      { timeout: 90_000 },
    )
    .not.toMatch(/^(NOT_STARTED|BUFFERED|RUNNING|PAUSED|SUSPENDED)$/);
  expect(outcome).toBe('SUCCEEDED');
  return id;
}

test('bake an image in a pipeline, deploy it, then revoke it with a reason and edit its recipe', async ({ page, request }) => {
  test.setTimeout(180_000);
  await json(await request.post('/api/applications', { data: { name: APP, project: 'demo', ownerEmail: 'bakery@example.com', description: 'Bakery journey' } }));
  const recipe = await json<{ id: string }>(
    await request.post('/api/recipes', {
      data: {
        yaml: [
          'name: shop-web',
          'description: The shop front end, baked from the sample app.',
          'artifact: { source: ' + JSON.stringify(SAMPLE_APP) + ', destination: /app/server.mjs }',
          'provisioners:',
          '  - { type: shell, name: app config, script: "mkdir -p etc/shop && echo mode=production > etc/shop/app.conf" }',
          'run: { entrypoint: app/server.mjs, healthPath: /health }',
          'tests: { files: [/app/server.mjs, /etc/shop/app.conf] }',
        ].join('\n'),
      },
    }),
  );
  await json(await request.post('/api/recipes', { data: { name: 'shop-web-debug', base: { type: 'image', image: 'shop-web:v1' }, run: { entrypoint: 'app/server.mjs' } } }));
  // A path-traversal in a file provisioner is refused, naming the field.
  const bad = await request.post('/api/recipes', { data: { name: 'evil', provisioners: [{ type: 'file', source: '/etc/hosts', destination: '../../etc/passwd' }] } });
  expect(bad.status()).toBe(400);
  expect(await bad.json()).toMatchObject({ field: 'provisioners.0.destination' });

  const bakeId = await run(request, 'Bake and deploy', [
    { refId: 'bake', type: 'bake', name: 'Bake', config: { recipe: 'shop-web' } },
    {
      refId: 'deploy',
      type: 'deploy',
      name: 'Deploy',
      requisiteStageRefIds: ['bake'],
      config: { account: 'prod', region: 'local-east', stack: 'web', image: "${ stages['Bake'].outputs.image }", capacity: { min: 1, desired: 1, max: 2 }, loadBalancers: [] },
    },
  ]);
  await run(request, 'Bake debug', [{ refId: 'bake', type: 'bake', name: 'Bake', config: { recipe: 'shop-web-debug' } }]);

  // The packer builder: a real `packer build -machine-readable`, its lines as the stage's live log.
  await json(
    await request.post('/api/recipes', {
      data: {
        name: 'shop-packer',
        builder: 'packer',
        artifact: { source: SAMPLE_APP, destination: '/app/server.mjs' },
        provisioners: [{ type: 'shell', name: 'app config', script: 'mkdir -p etc/shop && echo mode=packer > etc/shop/app.conf && echo wrote app.conf' }],
        run: { entrypoint: 'app/server.mjs' },
      },
    }),
  );
  const packerId = await run(request, 'Bake with Packer', [{ refId: 'bake', type: 'bake', name: 'Bake', config: { recipe: 'shop-packer' } }]);
  await page.goto(`/applications/${APP}/executions/${packerId}?stage=bake`);
  // The log view renders only the lines in view and follows the end: a search (Enter) scrolls to its match.
  // It reads like Packer's human output (time, component, message); the machine-readable CSV is behind a toggle.
  const search = page.getByRole('searchbox', { name: 'Search the log' });
  await expect(page.getByText(/^\d\d:\d\d:\d\d packer: build: finished in [\d.]+ s$/).first()).toBeVisible({ timeout: 20_000 });
  await search.fill('image.tar.gz completed');
  await search.press('Enter');
  await expect(page.getByText(/packer: post-processor compress: Archive .*image.tar.gz completed/).first()).toBeVisible();
  await search.fill('wrote app.conf');
  await search.press('Enter');
  await expect(page.getByText(/provisioner 1 \(shell: app config\): wrote app.conf/).first()).toBeVisible();
  await expect(page.getByText(/,output,wrote app.conf/)).toHaveCount(0);
  await screen(page, 'images-packer-log');
  await page.getByLabel('Show the raw Packer log (machine-readable)').check();
  await search.fill('wrote app.conf');
  await search.press('Enter');
  await expect(page.getByText(/provisioner 1 \(shell: app config\),output,wrote app.conf/).first()).toBeVisible();
  await screen(page, 'images-packer-log-raw');

  // The bake stage's live log: Packer machine-readable lines, step by step.
  await page.goto(`/applications/${APP}/executions/${bakeId}?stage=bake`);
  await expect(page.getByText(/test: boot: GET \/health answered 200/).first()).toBeVisible({ timeout: 20_000 });
  await screen(page, 'images-bake-log');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Images' }).click();
  await expect(page.getByRole('heading', { name: 'Images', level: 1 })).toBeVisible();
  const images = page.getByRole('table', { name: 'Images' });
  await expect(images.getByRole('rowheader', { name: 'shop-web', exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Recipes' }).getByRole('link', { name: 'shop-web', exact: true })).toBeVisible();
  await screen(page, 'images-list');

  await images.getByRole('link', { name: 'shop-web', exact: true }).click();
  const versions = page.getByRole('table', { name: 'Versions of shop-web' });
  await expect(versions.getByRole('rowheader', { name: 'v1' })).toBeVisible();
  await expect(versions).toContainText('shop-web r1');
  const usage = page.getByRole('table', { name: 'Where shop-web runs' });
  await expect(usage.getByRole('link', { name: 'bakery-web-v001' })).toBeVisible({ timeout: 20_000 });
  await screen(page, 'images-detail');

  // Point production at v1: the move is in the history.
  await page.getByRole('textbox', { name: 'Channel' }).fill('production');
  await page.getByRole('button', { name: 'Assign channel' }).click();
  await expect(page.getByRole('list', { name: 'Channel history' })).toContainText('production');
  await expect(versions.getByText('production')).toBeVisible();

  // A newer build and production moved on to it: the group still running v1 is flagged in the clusters view.
  await run(request, 'Bake again', [{ refId: 'bake', type: 'bake', name: 'Bake', config: { recipe: 'shop-web', rebake: true } }]);
  await json(await request.put('/api/images/shop-web/channels/production', { data: { version: 'v2' } }));
  await page.goto(`/applications/${APP}/clusters`);
  const card = page.getByRole('link', { name: 'bakery-web-v001 in prod/local-east' });
  await expect(card).toContainText('out of date: v1 running, channel production points at v2');
  await card.click();
  const warning = page.getByRole('status', { name: 'Image warning' });
  await expect(warning).toContainText('shop-web:v1 — out of date: v1 running, channel production points at v2');
  await screen(page, 'images-clusters-out-of-date');
  await warning.getByRole('link', { name: 'Open shop-web in the registry' }).click();
  await expect(versions.getByRole('rowheader', { name: 'v2' })).toBeVisible();

  // Revoke v1 with a reason; the child image built on it is revoked through its parent.
  await versions.getByRole('button', { name: 'Revoke v1' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke shop-web:v1?' });
  await expect(dialog.getByRole('button', { name: 'Revoke' })).toBeDisabled();
  await dialog.getByLabel(/Reason/).fill('OpenSSL CVE-2026-0042 in the base');
  await screen(page, 'images-revoke-dialog');
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await expect(dialog).toBeHidden();
  await expect(versions.getByText('revoked', { exact: true })).toBeVisible();
  await expect(versions).toContainText('OpenSSL CVE-2026-0042 in the base');
  await expect(usage).toContainText('(revoked)');
  await screen(page, 'images-detail-revoked');
  // Revoked wins over out of date, on the card and in the panel.
  await page.goto(`/applications/${APP}/clusters`);
  await expect(card).toContainText('revoked: OpenSSL CVE-2026-0042 in the base');
  await card.click();
  await expect(warning).toContainText('shop-web:v1 — revoked: OpenSSL CVE-2026-0042 in the base');
  await screen(page, 'images-clusters-revoked');
  await page.goto('/images/shop-web-debug');
  const childVersions = page.getByRole('table', { name: 'Versions of shop-web-debug' });
  await expect(childVersions.getByText('revoked via parent')).toBeVisible();
  // Built on shop-web:v1 while v2 exists: a rebake would take the newer parent.
  await expect(childVersions).toContainText('out of date: built on shop-web:v1; shop-web:v2 is newer');
  await screen(page, 'images-child-revoked');

  // The revocation was a mistake: an admin restores v1 with a reason, and the child is no longer revoked.
  await page.goto('/images/shop-web');
  await versions.getByRole('button', { name: 'Restore v1' }).click();
  const restore = page.getByRole('dialog', { name: 'Restore shop-web:v1?' });
  await expect(restore).toContainText('OpenSSL CVE-2026-0042 in the base');
  await expect(restore.getByRole('button', { name: 'Restore' })).toBeDisabled();
  await restore.getByLabel(/Why it is safe/).fill('the affected module is not built into the base');
  await screen(page, 'images-restore-dialog');
  await restore.getByRole('button', { name: 'Restore' }).click();
  await expect(restore).toBeHidden();
  await expect(versions).toContainText('restored by');
  await expect(versions).toContainText('the affected module is not built into the base');
  await expect(versions.getByRole('button', { name: 'Revoke v1' })).toBeVisible();
  await screen(page, 'images-detail-restored');
  // Anyone signed in can take the image elsewhere: the download carries its checksum.
  const download = page.waitForEvent('download');
  await versions.getByRole('link', { name: /^Download v1/ }).click();
  expect((await download).suggestedFilename()).toBe('shop-web-v1.tar.zst');
  await page.goto('/images/shop-web-debug');
  await expect(childVersions.getByText('revoked via parent')).toBeHidden();

  // The recipe as a form, then as YAML: an edit saves revision 2.
  await page.goto(`/images/recipes/${recipe.id}`);
  await expect(page.getByLabel('Name')).toHaveValue('shop-web');
  await screen(page, 'images-recipe-form');
  await page.getByRole('tab', { name: 'YAML' }).click();
  const yaml = page.getByLabel('Recipe YAML');
  await yaml.fill((await yaml.inputValue()).replace('destination: /app/server.mjs', 'destination: ../../etc/passwd'));
  await page.getByRole('button', { name: 'Save revision 2' }).click();
  await expect(page.getByRole('alert')).toContainText("artifact.destination: path must not contain '..'");
  await yaml.fill(
    (await yaml.inputValue())
      .replace('destination: ../../etc/passwd', 'destination: /app/server.mjs')
      .replace('baked from the sample app', 'baked from the sample app, edited in YAML'),
  );
  await page.getByRole('button', { name: 'Save revision 2' }).click();
  await expect(page.getByText(/Revision 2, saved/)).toBeVisible();
  await screen(page, 'images-recipe-yaml-saved');
});
