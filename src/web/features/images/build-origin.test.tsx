import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { renderApp } from '../../test/render-app';

describe('the commit and CI build of an image version', () => {
  it('shows in the versions table and in where it runs, linking the build', async () => {
    const group = db.serverGroups[0]!;
    db.serverGroups[0] = { ...group, image: { ...group.image, name: 'shop-web', version: 'v3' } };
    renderApp('/images/shop-web');
    await screen.findByRole('heading', { name: 'Where it runs' }, { timeout: 5000 });
    const usage = screen.getByRole('table', { name: 'Where shop-web runs' });
    const row = within(usage).getByRole('row', { name: new RegExp(group.name) });
    expect(within(row).getByText('@c03f5e6d91')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'build #103' }).getAttribute('href')).toBe('https://ci.example.com/job/shop-web/103/');
    // The versions table says it for every version built from CI.
    expect(screen.getAllByRole('link', { name: 'build #101' }).length).toBeGreaterThan(0);
  });
});
