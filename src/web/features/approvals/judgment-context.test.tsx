import { render, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { JudgmentContext } from '../../../shared/domain/judgment-context';
import { db } from '../../../../mocks/db';
import { server } from '../../../../mocks/node';
import { AppProviders } from '../../app/providers';
import { createQueryClient } from '../../lib/query-client';
import { JudgmentContextView } from './judgment-context';

const MIN = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

function renderContext(context: JudgmentContext) {
  server.use(http.get('*/api/executions/:id/stages/:refId/judgment-context', () => HttpResponse.json(context)));
  const execution = db.executions[0]!;
  const stage = execution.stages.find((s) => s.type === 'manualJudgment')!;
  const router = createMemoryRouter([{ path: '*', element: <JudgmentContextView execution={execution} stage={{ ...stage, status: 'SUSPENDED' }} /> }]);
  render(
    <AppProviders queryClient={createQueryClient({ retry: false })}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
}

describe('what an approval changes', () => {
  it('says what production runs, what this promotes from which commit, how long staging has been healthy and which checks passed — with links', async () => {
    renderContext({
      target: {
        stageName: 'Deploy to production',
        account: 'prod',
        region: 'us-east-1',
        cluster: 'storefront-prod',
        current: [
          { account: 'prod', region: 'us-east-1', name: 'storefront-prod-v003', image: 'storefront:v1', instances: 3, healthy: 3, launchedAt: ago(2 * 24 * 60 * MIN + MIN) },
        ],
      },
      promotes: { image: 'storefront:v2', name: 'storefront', version: 'v2', known: true, commit: 'c03f5e6d91aa', ref: 'main', parent: 'node-base:v2' },
      staging: {
        stageName: 'Deploy to staging',
        refId: 'stg',
        status: 'SUCCEEDED',
        since: ago(12 * MIN + 5000),
        address: '127.0.0.1:9911',
        serverGroup: 'storefront-staging-v007',
        group: { account: 'staging', region: 'us-east-1', name: 'storefront-staging-v007', image: 'storefront:v2', instances: 2, healthy: 2, launchedAt: ago(13 * MIN) },
      },
      checks: [{ refId: 'smoke', stageName: 'Smoke test', type: 'runJob', status: 'SUCCEEDED' }],
    });
    const section = await screen.findByRole('region', { name: 'What this approval changes' });
    const facts = within(section)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(facts).toEqual([
      'prod/us-east-1 storefront-prod runs storefront:v1 (3 instances, since 2 days)',
      '→ this promotes storefront:v2, built from commit c03f5e6d91 (main), on node-base:v2',
      'storefront-staging-v007 (Deploy to staging) healthy for 12 min (2/2 instances) · open staging',
      'Smoke test passed',
    ]);
    expect(within(section).getByRole('link', { name: 'storefront:v2' }).getAttribute('href')).toBe('/images/storefront');
    expect(within(section).getByRole('link', { name: 'storefront-staging-v007' }).getAttribute('href')).toBe(
      '/applications/web/clusters?sg=staging%2Fus-east-1%2Fstorefront-staging-v007',
    );
    expect(within(section).getByRole('link', { name: 'open staging' }).getAttribute('href')).toBe('http://127.0.0.1:9911/');
    // Sentences, not dumps.
    expect(section.textContent).not.toMatch(/[{}=]/);
  });

  it('says so when the target has nothing yet and the image has no build record', async () => {
    renderContext({
      target: { stageName: 'Deploy', account: 'prod', region: 'east', cluster: 'web-prod', current: [] },
      promotes: { image: 'nginx:1.27', name: 'nginx', version: '1.27', known: false },
      checks: [{ refId: 'smoke', stageName: 'Smoke test', type: 'runJob', status: 'TERMINAL' }],
    });
    const section = await screen.findByRole('region', { name: 'What this approval changes' });
    expect(
      within(section)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['prod/east web-prod runs nothing yet: this is its first deploy', '→ this promotes nginx:1.27 (not in the image registry: no build record)', 'Smoke test failed']);
  });
});
