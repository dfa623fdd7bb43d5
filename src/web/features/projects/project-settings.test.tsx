import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { renderApp } from '../../test/render-app';

describe('project settings', () => {
  it('renames a project, refuses to delete it while it has applications (naming them), and deletes an empty one', async () => {
    const { user, router } = renderApp('/projects/shop');
    await user.click(await screen.findByRole('button', { name: 'Project settings' }, { timeout: 10_000 }));
    const settings = screen.getByRole('dialog', { name: 'Settings of project shop' });
    await user.clear(within(settings).getByLabelText('Display name'));
    await user.type(within(settings).getByLabelText('Display name'), 'The Shop');
    await user.click(within(settings).getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'The Shop' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Project settings' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Settings of project shop' })).getByRole('button', { name: 'Delete project…' }));
    const confirm = screen.getByRole('dialog', { name: 'Delete project shop?' });
    await user.type(within(confirm).getByLabelText('Type shop to confirm'), 'shop');
    await user.click(within(confirm).getByRole('button', { name: 'Delete shop' }));
    expect((await within(confirm).findByRole('alert')).textContent).toMatch(/^Project 'shop' still has applications: .*web/);
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));

    db.projects.push({ ...db.projects[0]!, name: 'empty' as (typeof db.projects)[number]['name'], displayName: 'Empty', applications: [] });
    await router.navigate('/projects/empty');
    await screen.findByRole('heading', { level: 1, name: 'Empty' }, { timeout: 10_000 });
    await user.click(await screen.findByRole('button', { name: 'Project settings' }, { timeout: 10_000 }));
    await user.click(within(screen.getByRole('dialog', { name: 'Settings of project empty' })).getByRole('button', { name: 'Delete project…' }));
    const last = screen.getByRole('dialog', { name: 'Delete project empty?' });
    await user.type(within(last).getByLabelText('Type empty to confirm'), 'empty');
    await user.click(within(last).getByRole('button', { name: 'Delete empty' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/projects'));
    expect(db.projects.some((p) => p.name === 'empty')).toBe(false);
  }, 30_000);
});
