import { resolve } from 'node:path';
import { expect, test } from './journey';
import { screen } from './screens';

// Bake on demand: "Bake now" on a recipe's page bakes it as a run of an application, opens the
// bake's live log, and links the version it made. A recipe of its own, so other journeys' images stay as they are.
const SAMPLE_APP = resolve('src/engine/cloud/images/sample-app.mjs');
const RECIPE = 'bake-now-web';

test('bake a recipe now from its page, watch the log, open the version it made', async ({ page, request }) => {
  test.setTimeout(120_000);
  const created = await request.post('/api/recipes', {
    data: { name: RECIPE, description: 'Baked on demand by the journey.', artifact: { source: SAMPLE_APP, destination: '/app/server.mjs' }, run: { entrypoint: 'app/server.mjs' } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  await page.goto(`/images/recipes/${id}`);
  const bakeNow = page.getByRole('button', { name: 'Bake now' });
  await expect(bakeNow).toBeEnabled();
  // The demo's one application is the run's owner (with several, a picker offers those one may run).
  await expect(page.getByText('as a run of storefront')).toBeVisible();
  await screen(page, 'bake-now-recipe');
  await bakeNow.click();

  await expect(page).toHaveURL(/\/applications\/storefront\/executions\/[0-9a-f-]{36}\?stage=bake$/);
  await expect(page.getByRole('region', { name: `Stage Bake ${RECIPE}` })).toBeVisible();
  const baked = page.getByRole('link', { name: `${RECIPE}:v1` });
  await expect(baked).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/test: boot: GET \/health answered 200/).first()).toBeVisible();
  await screen(page, 'bake-now-log');

  await baked.click();
  await expect(page.getByRole('table', { name: `Versions of ${RECIPE}` }).getByRole('rowheader', { name: 'v1' })).toBeVisible();
});
