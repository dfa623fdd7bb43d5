import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render-app';

describe('the users admin', () => {
  it('lists people under named columns, adds one, and empties the form only once the server took it', async () => {
    const { user } = renderApp('/admin/users');
    const users = await screen.findByRole('region', { name: 'Users' });
    const table = await within(users).findByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Name', 'Display name', 'Roles', 'Admin', 'State']);
    expect(await within(table).findByRole('cell', { name: 'Bo Support' })).toBeTruthy();

    const name = within(users).getByLabelText('New user name');
    await user.type(name, 'ana');
    await user.type(within(users).getByLabelText('New user display name'), 'Another Ana');
    const password = within(users).getByLabelText<HTMLInputElement>('First password');
    // Someone else's first password: masked and never offered to (or saved by) the admin's browser.
    expect([password.type, password.autocomplete]).toEqual(['password', 'off']);
    await user.type(password, 'a-long-first-password');
    await user.click(within(users).getByRole('button', { name: 'Add user' }));
    // A refused name stays typed, so it can be fixed.
    expect(await within(users).findByText(/user 'ana' already exists/)).toBeTruthy();
    expect((name as HTMLInputElement).value).toBe('ana');

    await user.clear(name);
    await user.type(name, 'cleo');
    await user.click(within(users).getByRole('button', { name: 'Add user' }));
    expect(await within(table).findByRole('cell', { name: 'Another Ana' })).toBeTruthy();
    await waitFor(() => expect((name as HTMLInputElement).value).toBe(''));
  });

  it('shows API tokens under named columns, with a Revoke button on each active one', async () => {
    renderApp('/account/tokens');
    const table = await screen.findByRole('table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Name', 'Starts with', 'Created', 'Last used', 'State', '']);
    expect(await within(table).findByRole('button', { name: 'Revoke laptop CLI' })).toBeTruthy();
  });
});
