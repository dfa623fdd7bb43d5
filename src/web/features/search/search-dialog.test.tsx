import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render-app';

// The dialog is a lazy chunk: load it once up front so each test times the UI, not the transform.
beforeAll(() => import('./search-dialog'), 30_000);

/** The page itself, not the loading frame (which has its own top bar), so the button found is the one that stays. */
async function openPage(url: string) {
  const view = renderApp(url);
  await screen.findByRole('main');
  return { ...view, button: await screen.findByRole('button', { name: /Search/ }) };
}

describe('global search from the top bar', () => {
  it('opens with Ctrl+K, groups what matches image:version, and opens a hit with the arrows and Enter', async () => {
    const { user, router } = await openPage('/projects');
    await user.keyboard('{Control>}k{/Control}');
    const dialog = await screen.findByRole('dialog', { name: 'Search Kiln' });
    const box = within(dialog).getByRole('searchbox');
    expect(document.activeElement).toBe(box);
    await user.type(box, 'web:2.5.0');
    const groups = await within(dialog).findByRole('region', { name: 'Server groups' });
    const links = within(groups).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual([
      'web-prod-v003web:2.5.0 · prod/us-east-1',
      'web-prod-v003web:2.5.0 · prod/eu-west-1',
      'web-staging-v003web:2.5.0 · staging/us-east-1',
    ]);
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement).toBe(links[1]);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/applications/web/clusters'));
    expect(new URLSearchParams(router.state.location.search).get('sg')).toBe('prod/eu-west-1/web-prod-v003');
    expect(screen.queryByRole('dialog')).toBeNull();
  }, 20_000);

  it('opens with / outside a field, finds an instance by its address, and Enter in the box opens the first hit', async () => {
    const { user, router } = await openPage('/applications');
    await user.keyboard('/');
    const box = within(await screen.findByRole('dialog', { name: 'Search Kiln' })).getByRole('searchbox');
    await user.type(box, '127.0.0.1:41001');
    const instances = await screen.findByRole('region', { name: 'Instances' });
    expect(within(instances).getAllByRole('link')).toHaveLength(1);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(router.state.location.pathname).toBe('/applications/web/clusters'));
  }, 20_000);

  it('closes with Escape and gives focus back to the search button', async () => {
    const { user, button } = await openPage('/projects');
    await user.click(button);
    await screen.findByRole('dialog', { name: 'Search Kiln' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(button);
  }, 20_000);
});
