import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { renderApp } from '../../test/render-app';

describe('the CI servers page', () => {
  it('is in the admin user menu and shows each token only as who set it and when', async () => {
    const { user, router } = renderApp('/projects');
    await user.click(await screen.findByText('Ana Admin'));
    await user.click(screen.getByRole('link', { name: 'CI servers' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/admin/ci-servers'));
    const row = await screen.findByTestId('ci-server-ci');
    expect(within(row).getByText('https://ci.example.com')).toBeTruthy();
    expect(within(row).getByText(/Set on \d{4}-\d\d-\d\d by ana/)).toBeTruthy();
  });

  it('heads its table with named columns and a blank one over the buttons', async () => {
    renderApp('/admin/ci-servers');
    const table = (await screen.findByTestId('ci-server-ci')).closest('table')!;
    const headers = within(table)
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual(['Name', 'URL', 'User', 'Token', '']);
  });

  it('adds a Jenkins server with a token, which then shows only as set', async () => {
    const { user } = renderApp('/admin/ci-servers');
    const form = await screen.findByRole('form', { name: 'Add a CI server' });
    await user.type(within(form).getByLabelText('CI server name'), 'jenkins2');
    await user.type(within(form).getByLabelText('Jenkins URL'), 'https://jenkins2.example.com/');
    await user.type(within(form).getByLabelText('User'), 'kiln');
    await user.type(within(form).getByLabelText('API token'), 'typed-token-never-shown');
    await user.click(within(form).getByRole('button', { name: 'Add CI server' }));
    const row = await screen.findByTestId('ci-server-jenkins2');
    expect(within(row).getByText('https://jenkins2.example.com')).toBeTruthy();
    expect(within(row).getByText(/Set on .* by/)).toBeTruthy();
    expect(document.body.textContent).not.toContain('never-shown');
    expect(JSON.stringify(db.ciServers)).not.toContain('never-shown');
  });

  it('keeps what was typed when the server refuses an add, and empties the form once one is added', async () => {
    const { user } = renderApp('/admin/ci-servers');
    const form = await screen.findByRole('form', { name: 'Add a CI server' });
    const name = within(form).getByLabelText<HTMLInputElement>('CI server name');
    await user.type(name, 'ci');
    await user.type(within(form).getByLabelText('Jenkins URL'), 'https://other.example.com');
    await user.type(within(form).getByLabelText('User'), 'kiln');
    await user.type(within(form).getByLabelText('API token'), 'secret');
    await user.click(within(form).getByRole('button', { name: 'Add CI server' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('ci');
    expect(name.value).toBe('ci');
    await user.clear(name);
    await user.type(name, 'ci3');
    await user.click(within(form).getByRole('button', { name: 'Add CI server' }));
    await screen.findByTestId('ci-server-ci3');
    await waitFor(() => expect(name.value).toBe(''));
    expect(within(form).getByLabelText<HTMLInputElement>('API token').value).toBe('');
  });

  it('replaces a token and removes a server', async () => {
    const { user } = renderApp('/admin/ci-servers');
    const row = await screen.findByTestId('ci-server-ci');
    await user.click(within(row).getByRole('button', { name: 'Replace' }));
    await user.type(within(row).getByLabelText('New token for ci'), 'new-token');
    await user.click(within(row).getByRole('button', { name: 'Save token' }));
    expect(await within(await screen.findByTestId('ci-server-ci')).findByRole('button', { name: 'Replace' })).toBeTruthy();
    await user.click(within(screen.getByTestId('ci-server-ci')).getByRole('button', { name: 'Remove' }));
    expect(await screen.findByRole('heading', { name: 'No CI servers yet' })).toBeTruthy();
  });
});
