import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { renderApp } from '../../test/render-app';

const me = db.auth.me!;
afterEach(() => {
  db.auth.me = me;
});
const person = (grants: NonNullable<typeof db.auth.me>['grants']) => ({ ...me, user: { ...me.user, name: 'bo', admin: false }, grants });

describe('Push to… on the image page', () => {
  it('pushes an OCI version to an account’s registry and lists the push with the others', async () => {
    const { user } = renderApp('/images/shop-web');
    const form = await screen.findByRole('form', { name: 'Push to a registry' }, { timeout: 10_000 });
    // Only OCI versions go to a registry; only accounts with a registry are offered.
    expect(
      within(within(form).getByLabelText('Version'))
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['v3']);
    expect(
      within(within(form).getByLabelText('Account'))
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['lab (registry.example.com/lab)']);
    await user.click(within(form).getByRole('button', { name: 'Push to…' }));
    expect((await within(form).findByRole('status')).textContent).toMatch(/^Pushed shop-web:v3 to registry\.example\.com\/lab\/shop-web@sha256:/);
    const pushes = await screen.findByRole('table', { name: 'Where shop-web was pushed' });
    await waitFor(() => expect(within(pushes).getByText('registry.example.com/lab')).toBeTruthy());
    expect(within(pushes).getByText('registry.example.com/shop')).toBeTruthy();
  });

  it('is offered to whoever may deploy to the account, and not to someone who only reads', async () => {
    db.auth.me = person([{ resourceType: 'application', resource: '*', permission: 'EXECUTE' }]);
    const first = renderApp('/images/shop-web');
    expect(await screen.findByText(/^Pushing needs EXECUTE permission on an account with a registry/, {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Push to a registry' })).toBeNull();
    first.unmount();
    db.auth.me = person([{ resourceType: 'account', resource: 'lab', permission: 'EXECUTE' }]);
    renderApp('/images/shop-web');
    expect(await screen.findByRole('form', { name: 'Push to a registry' }, { timeout: 10_000 })).toBeTruthy();
  });
});
