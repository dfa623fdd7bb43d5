import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { server } from '../../../../mocks/node';
import { renderApp } from '../../test/render-app';
import { parseGrants } from './roles-admin';
import { safeNext } from '../../app/routes/sign-in';

describe('signing in', () => {
  it('sends a signed-out person to sign in, then back to the page they asked for', async () => {
    db.auth.me = null;
    const { user, router } = renderApp('/applications/web/clusters?account=prod');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/applications/web/clusters?account=prod')}`);
    await user.type(screen.getByLabelText('Name'), 'bo');
    await user.type(screen.getByLabelText('Password'), 'wrong-password-here');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('That name and password do not match an account.');
    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'mock-password-123');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/applications/web/clusters'));
    expect(router.state.location.search).toBe('?account=prod');
    expect(await screen.findByText('Bo Support')).toBeTruthy();
  });

  it('offers single sign-on when this Kiln has a provider, keeping where the person was going', async () => {
    server.use(http.get('*/api/auth/options', () => HttpResponse.json({ sso: { name: 'Acme SSO', loginPath: '/api/auth/oidc/login' } })));
    db.auth.me = null;
    renderApp('/applications/web/clusters?account=prod');
    const link = await screen.findByRole('link', { name: 'Sign in with Acme SSO' });
    expect(link.getAttribute('href')).toBe(`/api/auth/oidc/login?next=${encodeURIComponent('/applications/web/clusters?account=prod')}`);
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('tells the first admin where the setup link is while none exists yet', async () => {
    server.use(http.get('*/api/auth/options', () => HttpResponse.json({ setupPending: true })));
    db.auth.me = null;
    renderApp('/projects');
    const note = await screen.findByRole('note');
    expect(note.textContent).toMatch(/setup link in its log/);
    expect(note.textContent).toMatch(/No admin yet\. Create one/);
  });

  it('shows admins the admin pages in the user menu, and others not', async () => {
    const { user } = renderApp('/projects');
    await user.click(await screen.findByText('Ana Admin'));
    const menu = screen.getByText(/Signed in as/).parentElement!;
    expect(within(menu).getByRole('link', { name: 'Users and roles' })).toBeTruthy();
    expect(within(menu).getByRole('link', { name: 'Audit log' })).toBeTruthy();
  });

  it('shows a new API token once, then only its prefix', async () => {
    const { user } = renderApp('/account/tokens');
    await user.type(await screen.findByLabelText('New token name'), 'ci runner');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect((await screen.findByRole('status')).textContent).toContain('kiln_mock-mode-token');
    expect(await screen.findByRole('cell', { name: 'ci runner' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Revoke laptop CLI' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Revoke laptop CLI' })).toBeNull());
  });

  it('never follows a next= that leaves the site', () => {
    expect(safeNext('//evil.example/x')).toBe('/projects');
    expect(safeNext('https://evil.example')).toBe('/projects');
    expect(safeNext('/approvals')).toBe('/approvals');
  });

  it('reads grants one per line and names the line that is wrong', () => {
    expect(parseGrants('application web EXECUTE\naccount * READ\n').grants).toEqual([
      { resourceType: 'application', resource: 'web', permission: 'EXECUTE' },
      { resourceType: 'account', resource: '*', permission: 'READ' },
    ]);
    expect(parseGrants('application web READ\ncluster x READ').error).toBe("line 2: write 'application|account NAME|* READ|WRITE|EXECUTE'");
  });
});
