import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import { stageNode } from './execution-page';
import { screen } from './screens';

// A newcomer follows the front page's guide in the browser: run the demo pipeline, watch the smoke
// test pass on staging, approve the promotion, and see the production load balancer answer with
// the version this run baked. Everything is real: bake, instance processes, balancers.

async function versionAt(page: Page, url: string): Promise<string> {
  return (await (await page.request.get(`${url}version`)).text()).trim();
}

test('run the demo from the front page, approve it, and production serves the new version', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/projects');
  const guide = page.getByRole('region', { name: 'Try it: ship the demo storefront to production' });
  const prodUrl = (await guide
    .getByRole('listitem')
    .filter({ hasText: /^Production:/ })
    .getByRole('link')
    .getAttribute('href'))!;
  const before = await versionAt(page, prodUrl);
  const next = `v${Number(before.slice(1)) + 1}`;

  await guide.getByRole('link', { name: 'Ship storefront' }).click();
  await expect(page).toHaveURL(/\/applications\/storefront\/pipelines\/[^/]+\/edit$/);
  await screen(page, 'demo-01-pipeline');
  await page.getByRole('button', { name: 'Run…' }).click();
  await page
    .getByRole('dialog', { name: /^Run / })
    .getByRole('button', { name: /^Run revision \d+$/ })
    .click();
  await expect(page).toHaveURL(/\/executions\/[^/]+$/);

  // Bake, staging and the smoke test run by themselves; the promotion waits for a person.
  await expect(stageNode(page, 'Promote to production\\?')).toHaveAccessibleName(/SUSPENDED/, { timeout: 90_000 });
  await stageNode(page, 'Smoke test').click();
  await expect(page.getByText('10/10 requests passed')).toBeVisible();
  await screen(page, 'demo-02-smoke-test');
  expect(await versionAt(page, prodUrl)).toBe(before);

  await page
    .getByRole('link', { name: /Approvals/ })
    .first()
    .click();
  const item = page.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Ship storefront' }) });
  const panel = item.getByRole('region', { name: 'Judgment: Promote to production?' });
  await expect(panel).toContainText(`Staging runs storefront:${next} and passed the smoke test`);
  await screen(page, 'demo-03-approval');
  await panel.getByRole('button', { name: 'Approve' }).click();
  await expect(panel.getByRole('list', { name: 'Audit record' })).toContainText('Approved by ana');

  // The rolling deploy moves production over in steps; at the end only the new version answers.
  await expect
    .poll(
      async () => {
        const seen = new Set<string>();
        for (let i = 0; i < 6; i += 1) seen.add(await versionAt(page, prodUrl));
        return [...seen].join(',');
      },
      { timeout: 90_000, intervals: [1000] },
    )
    .toBe(next);
  await page.goto('/projects');
  await expect(guide.getByText(new RegExp(`storefront-prod-v\\d{3} 100%`))).toBeVisible();
  await screen(page, 'demo-04-front-page-after');
  await page.goto(prodUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Storefront ${next}`);
  await screen(page, 'demo-05-production');
});
