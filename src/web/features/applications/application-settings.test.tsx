import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { renderApp } from '../../test/render-app';

describe('application settings', () => {
  it('edits the owner, and refuses to delete while the application runs things, naming them', async () => {
    const { user } = renderApp('/applications/web/clusters');
    await user.click(await screen.findByRole('button', { name: 'Settings' }, { timeout: 10_000 }));
    const settings = screen.getByRole('dialog', { name: 'Settings of web' });
    const owner = within(settings).getByLabelText('Owner e-mail');
    await user.clear(owner);
    await user.type(owner, 'storefront@example.com');
    await user.click(within(settings).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(await screen.findByText('Owner storefront@example.com')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Settings of web' })).getByRole('button', { name: 'Delete application…' }));
    const confirm = screen.getByRole('dialog', { name: 'Delete application web?' });
    const button = within(confirm).getByRole('button', { name: 'Delete web' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await user.type(within(confirm).getByLabelText('Type web to confirm'), 'web');
    await user.click(button);
    expect((await within(confirm).findByRole('alert')).textContent).toMatch(/^Application 'web' still has pipelines? .*server groups prod\/.*web-prod-v00/);
    expect(db.applications.some((a) => a.name === 'web')).toBe(true);
  }, 20_000);

  it('deletes an empty application once its name is typed and returns to the list', async () => {
    db.applications.push({ ...db.applications[0]!, name: 'scratch' as (typeof db.applications)[number]['name'], description: 'to be deleted' });
    const { user, router } = renderApp('/applications/scratch/clusters');
    await user.click(await screen.findByRole('button', { name: 'Settings' }, { timeout: 10_000 }));
    await user.click(within(screen.getByRole('dialog', { name: 'Settings of scratch' })).getByRole('button', { name: 'Delete application…' }));
    const confirm = screen.getByRole('dialog', { name: 'Delete application scratch?' });
    await user.type(within(confirm).getByLabelText('Type scratch to confirm'), 'scratch');
    await user.click(within(confirm).getByRole('button', { name: 'Delete scratch' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/applications'));
    expect(db.applications.some((a) => a.name === 'scratch')).toBe(false);
  }, 20_000);
});
