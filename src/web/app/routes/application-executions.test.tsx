import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { server } from '../../../../mocks/node';
import { Execution } from '../../../shared/domain/execution';
import { renderApp } from '../../test/render-app';

const rows = () =>
  within(screen.getByRole('table', { name: 'Executions' }))
    .getAllByRole('row')
    .slice(1);

describe('executions list', () => {
  it('lists an application’s executions newest first with where each one is', async () => {
    renderApp('/applications/web/executions');
    await screen.findByRole('table', { name: 'Executions' });
    expect(rows().map((r) => r.textContent)).toEqual([
      expect.stringMatching(/Running.*Deploy to production.*waiting at Approve.*Started by hand by ana/),
      expect.stringMatching(/Failed.*Deploy to production.*failed at Tests.*Started by hand by bo/),
    ]);
    expect(screen.getByRole('link', { name: 'Executions' }).getAttribute('aria-current')).toBe('page');
  });

  it('filters by status through the URL and the API', async () => {
    const { user, search } = renderApp('/applications/web/executions');
    await screen.findByRole('table', { name: 'Executions' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'TERMINAL');
    expect(search()).toEqual({ status: 'TERMINAL' });
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]!.textContent).toMatch(/failed at Tests/);
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(search()).toEqual({});
  });

  it('sends trigger and time filters from a shared URL to the API', async () => {
    const asked: URLSearchParams[] = [];
    server.use(
      http.get('*/api/applications/web/executions', ({ request }) => {
        asked.push(new URL(request.url).searchParams);
        return HttpResponse.json({ executions: [db.executions[1]] });
      }),
    );
    renderApp('/applications/web/executions?trigger=cron&since=24h');
    await screen.findByRole('table', { name: 'Executions' });
    expect(rows()).toHaveLength(1);
    expect(asked[0]!.get('trigger')).toBe('cron');
    const since = Date.parse(asked[0]!.get('since')!);
    expect(Date.now() - since).toBeGreaterThanOrEqual(86_400_000);
    expect(Date.now() - since).toBeLessThan(86_400_000 + 61_000);
    expect((screen.getByRole('combobox', { name: 'Started' }) as HTMLSelectElement).value).toBe('24h');
  });

  it('explains a filter the server refuses and offers to clear it', async () => {
    const { user, search } = renderApp('/applications/web/executions?status=SOMETIMES');
    expect(await screen.findByText(/is not an execution status/)).toBeTruthy();
    // The error view can be re-rendered (a refetch on connect) between finding the link and clicking
    // it; click the link that is on screen until the URL changes.
    await waitFor(async () => {
      await user.click(screen.getByRole('link', { name: 'Clear filters' }));
      expect(search()).toEqual({});
    });
    expect(await screen.findByRole('table', { name: 'Executions' })).toBeTruthy();
  });

  it('pages older executions with the cursor', async () => {
    const base = db.executions[1]!;
    const older = Execution.parse({ ...base, id: '11111111-1111-4111-8111-111111111111', createdAt: '2026-01-01T00:00:00.000Z', trigger: { ...base.trigger, user: 'cy' } });
    server.use(
      http.get('*/api/applications/web/executions', ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return HttpResponse.json(cursor === 'page-2' ? { executions: [older] } : { executions: db.executions, nextCursor: 'page-2' });
      }),
    );
    const { user } = renderApp('/applications/web/executions');
    await screen.findByRole('table', { name: 'Executions' });
    expect(rows()).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Load older executions' }));
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(rows()[2]!.textContent).toMatch(/by cy/);
    expect(screen.queryByRole('button', { name: 'Load older executions' })).toBeNull();
  });

  it('shows an empty application plainly', async () => {
    renderApp('/applications/ledger/executions');
    expect(await screen.findByRole('heading', { name: 'No executions yet' })).toBeTruthy();
  });
});

describe('running now', () => {
  it('lists running executions of every application', async () => {
    renderApp('/running');
    const table = await screen.findByRole('table', { name: 'Running executions' });
    const body = within(table).getAllByRole('row').slice(1);
    expect(body).toHaveLength(1);
    expect(body[0]!.textContent).toMatch(/Running.*web.*Deploy to production/);
  });
});
