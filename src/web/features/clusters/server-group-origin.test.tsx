import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../../../../mocks/node';
import { renderApp } from '../../test/render-app';

const EXECUTION = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';

/** The history API answering with web-prod-v001 alone, with what each test adds to it. */
function historyOf(entry: Record<string, unknown>) {
  const base = { application: 'web', account: 'prod', region: 'us-east-1', cluster: 'web-prod', serverGroup: 'web-prod-v001', environment: 'prod', image: 'web:2.3.0' };
  server.use(http.get('*/api/history', () => HttpResponse.json({ entries: [{ ...base, ...entry }] })));
}

describe('a server group’s origin', () => {
  it('links the group to the execution that created it, and to its cluster’s history', async () => {
    historyOf({ createdAt: new Date().toISOString(), createdBy: 'dora', createdByExecution: EXECUTION, traffic: [] });
    renderApp('/applications/web/clusters?sg=prod/us-east-1/web-prod-v001&region=us-east-1');
    const panel = await screen.findByRole('complementary', { name: 'web-prod-v001' }, { timeout: 20_000 });
    const field = (await within(panel).findByText('Created by')).parentElement!;
    expect((await within(field).findByRole('link', { name: 'execution 6f1d2c3b' })).getAttribute('href')).toBe(`/applications/web/executions/${EXECUTION}`);
    expect(field.textContent).toMatch(/dora in execution 6f1d2c3b · cluster history/);
    expect(within(field).getByRole('link', { name: 'cluster history' }).getAttribute('href')).toBe('/applications/web/history?cluster=web-prod');
  });
  it('says since when the group is out of traffic and which run of whose took it out', async () => {
    const at = new Date(Date.now() - 3_600_000).toISOString();
    historyOf({
      createdAt: new Date(Date.now() - 7_200_000).toISOString(),
      traffic: [
        { at: new Date(Date.now() - 7_200_000).toISOString(), enabled: true },
        { at, enabled: false, by: 'eli', execution: EXECUTION, executionApplication: 'billing' },
      ],
    });
    renderApp('/applications/web/clusters?sg=prod/us-east-1/web-prod-v001&region=us-east-1');
    const panel = await screen.findByRole('complementary', { name: 'web-prod-v001' }, { timeout: 20_000 });
    const field = (await within(panel).findByText('Out of traffic since')).parentElement!;
    expect(field.textContent).toMatch(/ago by eli's run 6f1d2c3b$/);
    expect(within(field).getByRole('link', { name: 'run 6f1d2c3b' }).getAttribute('href')).toBe(`/applications/billing/executions/${EXECUTION}`);
  });
});
