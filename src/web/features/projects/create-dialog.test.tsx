import { screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { renderApp } from '../../test/render-app';

beforeAll(() => import('./create-dialog'), 30_000);

describe('creating projects and applications', () => {
  it('creates a project, then an application in it, each opening its page; a bad name is refused naming the field', async () => {
    const { user, router } = renderApp('/projects');
    await user.click(await screen.findByRole('button', { name: 'New project' }, { timeout: 10_000 }));
    const dialog = await screen.findByRole('dialog', { name: 'New project' });
    await user.type(within(dialog).getByLabelText('Name'), 'Ops Team');
    await user.type(within(dialog).getByLabelText('Display name'), 'Operations');
    await user.type(within(dialog).getByLabelText('Owner e-mail'), 'ops@example.com');
    await user.click(within(dialog).getByRole('button', { name: 'Create project' }));
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/project name must be lowercase/);
    expect(within(dialog).getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    await user.clear(within(dialog).getByLabelText('Name'));
    await user.type(within(dialog).getByLabelText('Name'), 'ops');
    await user.click(within(dialog).getByRole('button', { name: 'Create project' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/projects/ops'));

    await user.click(await screen.findByRole('button', { name: 'New application' }, { timeout: 10_000 }));
    const app = await screen.findByRole('dialog', { name: 'New application in ops' });
    await user.type(within(app).getByLabelText('Name'), 'pager');
    await user.type(within(app).getByLabelText('Owner e-mail'), 'pager@example.com');
    await user.click(within(app).getByRole('button', { name: 'Create application' }));
    await waitFor(() => expect(router.state.location.pathname).toMatch(/^\/applications\/pager/));
    expect(db.applications.find((a) => a.name === 'pager')?.project).toBe('ops');
  }, 30_000);

  it('gives focus back to the New project button when closed with Escape', async () => {
    const { user } = renderApp('/projects');
    const opener = await screen.findByRole('button', { name: 'New project' }, { timeout: 10_000 });
    await user.click(opener);
    await screen.findByRole('dialog', { name: 'New project' });
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(opener);
  }, 20_000);

  it('offers no create button to someone who is not an admin', async () => {
    db.auth.me = { ...db.auth.me!, user: { ...db.auth.me!.user, admin: false } };
    renderApp('/projects');
    await screen.findByRole('heading', { name: 'Projects' }, { timeout: 10_000 });
    expect(screen.queryByRole('button', { name: 'New project' })).toBeNull();
  }, 20_000);
});
