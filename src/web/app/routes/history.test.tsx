import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render-app';

describe('deployment history across applications', () => {
  it('lists every readable application’s groups in one table, each with how long and when it took traffic', async () => {
    const { user, search } = renderApp('/history');
    const table = await screen.findByRole('table', { name: 'Deployment history' }, { timeout: 20_000 });
    const apps = within(table)
      .getAllByRole('row')
      .slice(1)
      // The cell's value, not the header it repeats for a phone's stacked rows.
      .map((r) => r.querySelectorAll('td')[0]!.lastChild!.textContent);
    expect(new Set(apps).size).toBeGreaterThan(1);
    // web-prod-v001 is disabled today: it served, then bo took it out of traffic.
    const periods = within(table).getAllByRole('list', { name: 'Traffic periods of web-prod-v001' })[0]!;
    expect(
      within(periods)
        .getAllByRole('listitem')
        .map((li) => li.textContent?.replace(/[\d.]+ (d|h|min)( [\d.]+ (h|min))?/g, 'T')),
    ).toEqual(['enabled T', '→ disabled T by bo']);

    await user.selectOptions(screen.getByLabelText('Application'), 'web');
    expect(search()).toEqual({ application: 'web' });
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/newest first/));
    expect(within(screen.getByRole('table', { name: 'Deployment history' })).queryByRole('columnheader', { name: 'Application' })).toBeNull();
  });

  it('is in the main navigation', async () => {
    renderApp('/projects');
    const nav = await screen.findByRole('navigation', { name: 'Main' }, { timeout: 20_000 });
    expect(within(nav).getByRole('link', { name: 'History' }).getAttribute('href')).toBe('/history');
  });

  it("is one click from an application's History tab, keeping the environment", async () => {
    renderApp('/applications/web/history?environment=prod');
    const link = await screen.findByRole('link', { name: 'All applications' }, { timeout: 20_000 });
    expect(link.getAttribute('href')).toBe('/history?environment=prod');
  });
});
