import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { renderApp } from '../../test/render-app';

describe('the accounts page', () => {
  it('is in the admin user menu and lists accounts with health, masking credentials as who set them and when', async () => {
    const { user, router } = renderApp('/projects');
    await user.click(await screen.findByText('Ana Admin'));
    await user.click(screen.getByRole('link', { name: 'Accounts' }));
    // The admin pages are a lazy route: the location changes once its code is loaded, which on a loaded machine takes more than waitFor's default second.
    await waitFor(() => expect(router.state.location.pathname).toBe('/admin/accounts'), { timeout: 10_000 });
    const lab = await screen.findByTestId('account-lab');
    expect(within(lab).getByText('docker')).toBeTruthy();
    expect(within(lab).getByText(/Set on \d{4}-\d\d-\d\d by admin/)).toBeTruthy();
    expect(await within(lab).findByText('reachable, engine Podman Engine 5.4.2 (API 1.41)')).toBeTruthy();
    expect(within(lab).getByRole('button', { name: 'Replace' })).toBeTruthy();
  });

  it('heads its table with one named column per account detail', async () => {
    renderApp('/admin/accounts');
    const table = (await screen.findByTestId('account-prod')).closest('table')!;
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['Name', 'Provider', 'Environment', 'Regions', 'Endpoint', 'Credentials', 'Health', 'State']);
  });

  it('adds a docker account and disables it', async () => {
    const { user } = renderApp('/admin/accounts');
    const form = await screen.findByRole('form', { name: 'Add an account' });
    await user.type(within(form).getByLabelText('Account name'), 'edge');
    await user.selectOptions(within(form).getByLabelText('Provider'), 'docker');
    await user.type(within(form).getByLabelText('Docker host'), 'unix:///run/podman/podman.sock');
    await user.click(within(form).getByRole('button', { name: 'Add account' }));
    const row = await screen.findByTestId('account-edge');
    await user.click(within(row).getByRole('button', { name: 'Disable' }));
    expect(await within(await screen.findByTestId('account-edge')).findByText('disabled: no new deploys')).toBeTruthy();
    expect(db.accounts.find((a) => a.name === 'edge')?.disabled).toBe(true);
  });

  it('shows why an account cannot be removed while server groups run there', async () => {
    const { user } = renderApp('/admin/accounts');
    await user.click(within(await screen.findByTestId('account-prod')).getByRole('button', { name: 'Remove' }));
    expect((await within(screen.getByTestId('account-prod')).findByRole('alert')).textContent).toMatch(/still runs server groups: .*web-prod/);
  });

  it('guides the admin of a fresh Kiln to add a first account, from the front page and on the accounts page', async () => {
    db.accounts = [];
    const { user } = renderApp('/projects');
    const notice = await screen.findByText('Kiln has no account to deploy to yet.');
    await user.click(within(notice.parentElement!).getByRole('link', { name: 'adding a first account' }));
    expect(await screen.findByRole('heading', { name: 'No accounts yet' })).toBeTruthy();
  });
});

describe('the environment label', () => {
  it('shows on cluster cards and in the server-group details, from the account', async () => {
    db.accounts = db.accounts.map((a) => (a.name === 'prod' ? { ...a, environment: 'staging' } : a));
    const { user } = renderApp('/projects/shop');
    // The project page is a lazy route: on a loaded machine its code takes more than findBy's default second.
    const card = await screen.findByRole('link', { name: /^web-prod in.*prod · us-east-1/ }, { timeout: 10_000 });
    expect(await within(card).findByTitle('staging environment')).toBeTruthy();
    await user.click(card);
    const account = await screen.findByText('Account', { selector: 'dt' });
    expect(await within(account.parentElement!).findByTitle('staging environment')).toBeTruthy();
  }, 20_000);
});
