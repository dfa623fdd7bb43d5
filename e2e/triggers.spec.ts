import { createHmac } from 'node:crypto';
import { expect, test } from '@playwright/test';
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
