import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './journey';
import { expectAccessible } from './axe';
import { stageNode } from './execution-page';
import { screen } from './screens';
import { startWaitingRun } from './waiting-run';

// Every page of the dashboard checked by axe in both themes: no serious or critical finding
// (contrast, names, list markup, …). The execution page is seen with a stage running and a judgment
// waiting, so the live parts are checked too.

async function json<T>(res: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(res.ok(), `${res.url()}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

interface Visit {
  name: string;
  open: (page: Page) => Promise<void>;
}

async function visits(request: APIRequestContext, executionId: string): Promise<Visit[]> {
  const pipelines = await json<Array<{ id: string; name: string }>>(await request.get('/api/applications/storefront/pipelines'));
  const ship = pipelines.find((p) => p.name === 'Ship storefront')!;
  const view = await json<{
    accounts: Array<{ clusters: Array<{ regions: Array<{ serverGroups: Array<{ name: string; account: string; region: string; disabled: boolean }> }> }> }>;
  }>(await request.get('/api/applications/storefront/clusters'));
  const prod = view.accounts.flatMap((a) => a.clusters.flatMap((c) => c.regions.flatMap((r) => r.serverGroups))).find((g) => g.account === 'prod' && !g.disabled)!;
  const recipes = await json<Array<{ id: string }>>(await request.get('/api/recipes'));
  const h1 = (page: Page, name: string | RegExp) => expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  return [
    {
      name: 'projects',
      open: async (p) => {
        await p.goto('/projects');
        await h1(p, 'Projects');
      },
    },
    {
      name: 'project',
      open: async (p) => {
        await p.goto('/projects/demo');
        await expect(p.getByRole('heading', { name: 'storefront', exact: true })).toBeVisible();
      },
    },
    {
      name: 'applications',
      open: async (p) => {
        await p.goto('/applications');
        await expect(p.getByRole('table', { name: 'Applications' })).toBeVisible();
      },
    },
    {
      name: 'clusters',
      open: async (p) => {
        await p.goto('/applications/storefront/clusters');
        await expect(p.getByRole('heading', { name: 'prod', exact: true })).toBeVisible();
      },
    },
    {
      name: 'server-group-and-load-balancers',
      open: async (p) => {
        await p.goto(`/applications/storefront/clusters?sg=prod/local-east/${prod.name}`);
        const panel = p.getByRole('complementary', { name: prod.name });
        await expect(panel.getByRole('table', { name: 'Instances' }).getByText('Up', { exact: true }).first()).toBeVisible();
        await expect(panel.getByRole('rowheader', { name: 'storefront-prod' })).toBeVisible();
      },
    },
    {
      name: 'pipelines',
      open: async (p) => {
        await p.goto('/applications/storefront/pipelines');
        await expect(p.getByRole('link', { name: 'Ship storefront' }).first()).toBeVisible();
      },
    },
    {
      name: 'editor',
      open: async (p) => {
        await p.goto(`/applications/storefront/pipelines/${ship.id}/edit`);
        await expect(p.getByText('Smoke test').first()).toBeVisible();
      },
    },
    {
      name: 'executions',
      open: async (p) => {
        await p.goto('/applications/storefront/executions');
        await expect(p.getByRole('table').first()).toBeVisible();
      },
    },
    {
      name: 'execution-running-and-judgment',
      open: async (p) => {
        await p.goto(`/applications/storefront/executions/${executionId}?stage=promote`);
        await expect(stageNode(p, 'Build')).toHaveAccessibleName(/RUNNING/);
        await expect(p.getByRole('region', { name: 'Judgment: Promote' }).getByRole('button', { name: 'Approve' })).toBeVisible();
      },
    },
    {
      name: 'execution-log',
      open: async (p) => {
        await p.goto(`/applications/storefront/executions/${executionId}?stage=build`);
        // The job keeps printing: whichever lines are in view by now.
        await expect(
          p
            .getByRole('region', { name: 'Log of Build' })
            .getByText(/^step \d+$/)
            .first(),
        ).toBeVisible();
      },
    },
    {
      name: 'approvals',
      open: async (p) => {
        await p.goto('/approvals');
        await expect(p.getByRole('region', { name: 'Judgment: Promote' }).first()).toBeVisible();
      },
    },
    {
      name: 'running-now',
      open: async (p) => {
        await p.goto('/running');
        await h1(p, 'Running now');
      },
    },
    {
      name: 'images',
      open: async (p) => {
        await p.goto('/images');
        await expect(p.getByRole('link', { name: 'storefront' }).first()).toBeVisible();
      },
    },
    {
      name: 'image-detail',
      open: async (p) => {
        await p.goto('/images/storefront');
        await expect(p.getByRole('table').first()).toBeVisible();
      },
    },
    {
      name: 'recipe',
      open: async (p) => {
        await p.goto(`/images/recipes/${recipes[0]!.id}`);
        await h1(p, /./);
      },
    },
    {
      name: 'accounts',
      open: async (p) => {
        await p.goto('/admin/accounts');
        await expect(p.getByTestId('health-prod')).toHaveText(/^reachable/);
      },
    },
    {
      name: 'users',
      open: async (p) => {
        await p.goto('/admin/users');
        await h1(p, /./);
      },
    },
    {
      name: 'api-tokens',
      open: async (p) => {
        await p.goto('/account/tokens');
        await h1(p, /./);
      },
    },
    {
      name: 'audit',
      open: async (p) => {
        await p.goto('/admin/audit');
        await h1(p, /./);
      },
    },
    {
      name: 'not-found',
      open: async (p) => {
        await p.goto('/no/such/page');
        await h1(p, /./);
      },
    },
  ];
}

for (const theme of ['light', 'dark'] as const) {
  test(`every page has no serious or critical accessibility finding in the ${theme} theme`, async ({ page, browser, request }) => {
    test.setTimeout(180_000);
    await page.addInitScript((t) => localStorage.setItem('kiln-theme', t), theme);
    const executionId = await startWaitingRun(request, `Accessibility check (${theme})`);
    try {
      for (const visit of await visits(request, executionId)) {
        await visit.open(page);
        await expectAccessible(page, `${theme} ${visit.name}`);
        await screen(page, `a11y-${theme}-${visit.name}`);
      }
    } finally {
      await request.post(`/api/executions/${executionId}/cancel`, { data: {} });
    }

    // Nobody is signed in on the sign-in page.
    const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const signIn = await anonymous.newPage();
    await signIn.addInitScript((t) => localStorage.setItem('kiln-theme', t), theme);
    await signIn.goto('/sign-in');
    await expect(signIn.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expectAccessible(signIn, `${theme} sign-in`);
    await screen(signIn, `a11y-${theme}-sign-in`);
    await anonymous.close();
  });
}

test('the editor canvas is two Tab presses away, and Escape from a stage form goes back to the stage', async ({ page, request }) => {
  const pipelines = await json<Array<{ id: string; name: string }>>(await request.get('/api/applications/storefront/pipelines'));
  await page.goto(`/applications/storefront/pipelines/${pipelines.find((p) => p.name === 'Ship storefront')!.id}/edit`);
  // Once laid out (before that the skip lands on the empty canvas itself).
  const stage = page.getByRole('region', { name: 'Pipeline canvas' }).locator('.react-flow__node').first();
  await expect(stage).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to the pipeline canvas' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await screen(page, 'a11y-editor-skip-link');
  await page.keyboard.press('Enter');
  await expect(stage).toBeFocused();
  await expect(page).not.toHaveURL(/#/);

  // Enter opens the stage's form with the cursor in it; Escape hands focus back to the stage.
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-panel]').locator('input, textarea').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(stage).toBeFocused();
});
