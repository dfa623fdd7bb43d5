import { createHmac } from 'node:crypto';
import { expect, test } from './journey';
import { screen } from './screens';

// Write-only secrets and trigger owners, as a person meets them: the editor says a secret is set
// and by whom, never what it is; a signed webhook call runs as the person who set the trigger up.

const SECRET = 'e2e-webhook-secret-of-32-characters';

test('a webhook secret is shown as set by whom, never itself; the triggered run says whom it runs as', async ({ page }) => {
  test.setTimeout(90_000);
  const name = `Hooked ${Date.now().toString(36)}`;
  const created = await page.request.post('/api/applications/storefront/pipelines', {
    data: {
      name,
      stages: [{ refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 1 } }],
      triggers: [{ type: 'manual' }, { type: 'webhook', secret: SECRET }],
      notifications: [{ url: 'https://alerts:e2e-password@hooks.example.com/notify?token=e2e-token-value', events: ['failed'] }],
    },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect(await created.text()).not.toContain(SECRET);

  await page.goto(`/applications/storefront/pipelines/${id}/edit`);
  const trigger = page.getByRole('group', { name: 'Trigger 2' });
  await expect(trigger.getByRole('status')).toHaveText(/^Secret set on .+ by ana$/);
  await expect(trigger.getByRole('button', { name: 'Replace secret' })).toBeVisible();
  await expect(trigger.getByText(/^Runs as ana, who set it up on /)).toBeVisible();
  await expect(page.getByRole('group', { name: 'Notification 1' }).getByRole('status')).toContainText('set on');
  await trigger.scrollIntoViewIfNeeded();
  await screen(page, 'triggers-01-secret-set');
  const html = await page.content();
  expect(html).not.toContain(SECRET);
  expect(html).not.toContain('e2e-password');
  expect(html).not.toContain('e2e-token-value');

  const body = JSON.stringify({ parameters: {} });
  const fired = await page.request.post(`/api/pipelines/${id}/webhook`, {
    data: body,
    headers: { 'content-type': 'application/json', 'x-kiln-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
  });
  expect(fired.status()).toBe(202);
  const { executionId } = (await fired.json()) as { executionId: string };
  await page.goto(`/applications/storefront/executions/${executionId}`);
  await expect(page.getByText('Webhook trigger, runs as ana')).toBeVisible();
  await screen(page, 'triggers-02-runs-as');
});

test('a WRITE-only user is told the pipeline runs automatically as ana, and a stage change is refused naming EXECUTE', async ({ page, browser, request }) => {
  test.setTimeout(90_000);
  const walt = `walt${Date.now().toString(36)}`;
  await request.put(`/api/admin/roles/${walt}-editors`, {
    data: { description: 'Edit storefront pipelines, not run them', grants: [{ resourceType: 'application', resource: 'storefront', permission: 'WRITE' }] },
  });
  expect(
    (await request.post('/api/admin/users', { data: { name: walt, displayName: 'Walt Writer', password: 'walt-writer-password', roles: [`${walt}-editors`] } })).status(),
  ).toBe(201);
  const created = await page.request.post('/api/applications/storefront/pipelines', {
    data: { name: `Nightly ${walt}`, stages: [{ refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 1 } }], triggers: [{ type: 'cron', expression: '0 3 * * *' }] },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const waltPage = await context.newPage();
  await waltPage.goto(`/applications/storefront/pipelines/${id}/edit`);
  await waltPage.getByLabel('Name').fill(walt);
  await waltPage.getByLabel('Password').fill('walt-writer-password');
  await waltPage.getByRole('button', { name: 'Sign in' }).click();
  const note = waltPage.getByRole('note', { name: 'Runs automatically' });
  await expect(note).toContainText('This pipeline runs automatically as ana (cron trigger)');
  await waltPage.getByLabel('Limit concurrent executions').click();
  await expect(note).toContainText('Saving will be refused: your draft changes its concurrency.');
  await waltPage.getByRole('button', { name: 'Save' }).click();
  await expect(waltPage.getByText(new RegExp(`^Not saved: ${walt} lacks EXECUTE permission on application 'storefront': this pipeline runs automatically as ana`))).toBeVisible();
  await screen(waltPage, 'triggers-03-runs-automatically-refused');
  await context.close();
});
