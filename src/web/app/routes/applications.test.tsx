import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render-app';

const rowNames = (table: HTMLElement) =>
  within(table)
    .getAllByRole('rowheader')
    .map((cell) => within(cell).getByRole('link').textContent);

describe('applications list', () => {
  it('shows every application with its project, counts and accounts', async () => {
    renderApp('/applications');
    const table = await screen.findByRole('table', { name: 'Applications' });
    expect(rowNames(table)).toEqual(['checkout', 'inventory', 'ledger', 'web']);
    const web = within(table).getByRole('row', { name: /^web/ });
    const cells = within(web)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells).toEqual(['shop', expect.stringContaining('storefront'), '3', '7', '14', 'prodstaging']);
    expect(within(web).getByText('Demo', { exact: true })).toBeTruthy();
    expect(within(table).getByRole('link', { name: 'web' }).getAttribute('href')).toBe('/applications/web/clusters');
  });

  it('searches as you type, keeping the query in the URL', async () => {
    const { user, search } = renderApp('/applications');
    await screen.findByRole('table', { name: 'Applications' });
    await user.type(screen.getByRole('searchbox', { name: 'Search applications' }), 'stock');
    await waitFor(() => expect(search()).toEqual({ q: 'stock' }));
    await waitFor(() => expect(rowNames(screen.getByRole('table', { name: 'Applications' }))).toEqual(['inventory']));
  });

  it('reads the search from the URL and offers to clear a search with no match', async () => {
    const { user, search } = renderApp('/applications?q=zzz');
    expect((await screen.findByRole('heading', { name: "No applications match 'zzz'" })).tagName).toBe('H2');
    expect((screen.getByRole('searchbox', { name: 'Search applications' }) as HTMLInputElement).value).toBe('zzz');
    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    expect(search()).toEqual({});
    expect(rowNames(await screen.findByRole('table', { name: 'Applications' }))).toHaveLength(4);
    expect((screen.getByRole('searchbox', { name: 'Search applications' }) as HTMLInputElement).value).toBe('');
  });
});
