import { expect, test } from './journey';
import { screen } from './screens';

test('an admin gives a support person read-only access; they see clusters but may not change anything', async ({ page, browser, request }) => {
  // A read-only role over everything, as the admin page saves it.
  const role = await request.put('/api/admin/roles/support', {
    data: {
      description: 'See everything, change nothing',
      grants: [
        { resourceType: 'application', resource: '*', permission: 'READ' },
        { resourceType: 'account', resource: '*', permission: 'READ' },
      ],
    },
  });
  expect(role.status()).toBe(200);

  await page.goto('/admin/users');
  await page.getByLabel('New user name').fill('sam');
  await page.getByLabel('New user display name').fill('Sam Support');
  await page.getByLabel('First password').fill('sam-support-password');
  await page.getByLabel('New user roles').fill('support');
  await page.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('cell', { name: 'Sam Support' })).toBeVisible();
  await screen(page, 'auth-03-users-and-roles');

  const sam = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const samPage = await sam.newPage();
  await samPage.goto('/applications/storefront/clusters');
  await samPage.getByLabel('Name').fill('sam');
  await samPage.getByLabel('Password').fill('sam-support-password');
  await samPage.getByRole('button', { name: 'Sign in' }).click();
  await expect(samPage).toHaveURL(/\/applications\/storefront\/clusters$/);
  await expect(samPage.getByText('Sam Support')).toBeVisible();
  await expect(samPage.getByRole('heading', { level: 1, name: 'storefront' })).toBeVisible();
  await screen(samPage, 'auth-04-support-user-clusters');

  // The server refuses what the role does not grant, naming the missing permission.
  const pipelines = await samPage.request.get('/api/applications/storefront/pipelines');
  expect(pipelines.status()).toBe(200);
  const create = await samPage.request.post('/api/applications/storefront/pipelines', { data: { name: 'Nope', stages: [] } });
  expect(create.status()).toBe(403);
  expect((await create.json()).message).toBe("sam lacks WRITE permission on application 'storefront'.");
  await sam.close();

  await page.goto('/admin/audit?q=sam');
  await expect(page.getByRole('cell', { name: 'POST /api/admin/users' })).toBeVisible();
  await screen(page, 'auth-05-audit');
});

test('a person creates an API token for the CLI and sees it only once', async ({ page, playwright, baseURL }) => {
  await page.goto('/account/tokens');
  await page.getByLabel('New token name').fill('laptop CLI');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.getByRole('status').locator('code').textContent())!;
  expect(secret).toMatch(/^kiln_/);
  await screen(page, 'auth-06-api-token');
  const cli = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${secret}` }, storageState: { cookies: [], origins: [] } });
  expect((await cli.get('/api/auth/me')).status()).toBe(200);
  await page.getByRole('button', { name: 'Revoke laptop CLI' }).click();
  await expect(page.getByRole('cell', { name: 'revoked' })).toBeVisible();
  expect((await cli.get('/api/auth/me')).status()).toBe(401);
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);
  await cli.dispose();
});

test('separation of duties: the person who started a promotion cannot approve it; an approver can, from the inbox', async ({ page, browser, request }) => {
  await request.put('/api/admin/roles/approvers', {
    // Judging is acting on the application: approvers need EXECUTE there (READ alone cannot approve).
    data: { description: 'May approve promotions', grants: [{ resourceType: 'application', resource: 'storefront', permission: 'EXECUTE' }] },
  });
  expect((await request.post('/api/admin/users', { data: { name: 'pia', displayName: 'Pia Approver', password: 'pia-approver-password', roles: ['approvers'] } })).status()).toBe(
    201,
  );
  const pipeline = await (
    await request.post('/api/applications/storefront/pipelines', {
      data: {
        name: 'Promote with four eyes',
        stages: [
          {
            refId: 'ok',
            type: 'manualJudgment',
            name: 'Promote to prod?',
            config: { instructions: 'Check the canary first.', allowedRoles: ['approvers'], separationOfDuties: true },
          },
        ],
      },
    })
  ).json();
  const execution = await (await request.post(`/api/pipelines/${pipeline.id}/executions`, { data: {} })).json();

  await page.goto(`/applications/storefront/executions/${execution.id}`);
  const panel = page.getByRole('region', { name: 'Judgment: Promote to prod?' });
  await expect(panel.getByText(/started this execution, and stage 'Promote to prod\?' needs someone else to judge it \(separation of duties\)\./)).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  const direct = await request.post(`/api/executions/${execution.id}/stages/ok/judgment`, { data: { decision: 'approve' } });
  expect(direct.status()).toBe(403);
  await screen(page, 'auth-07-own-promotion');

  const pia = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const piaPage = await pia.newPage();
  await piaPage.goto('/approvals');
  await piaPage.getByLabel('Name').fill('pia');
  await piaPage.getByLabel('Password').fill('pia-approver-password');
  await piaPage.getByRole('button', { name: 'Sign in' }).click();
  const inbox = piaPage.getByRole('region', { name: 'Judgment: Promote to prod?' });
  await inbox.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('Approved by pia')).toBeVisible();
  await screen(page, 'auth-08-approved-by-someone-else');
  await pia.close();
});
