import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { AppProviders } from '../../app/providers';
import { createQueryClient } from '../../lib/query-client';
import { ServerGroupActions } from './server-group-actions';
import { queryKeys } from '../../lib/query-keys';

const group = (name: string) => db.serverGroups.find((g) => g.name === name && g.region === 'us-east-1')!;

function renderActions(name: string, managed = true, me = db.auth.me) {
  const sg = { ...group(name), ...(managed ? { managedBy: 'local' as const } : {}) };
  const queryClient = createQueryClient({ retry: false });
  // The app's sign-in gate has loaded who is signed in before any page renders.
  queryClient.setQueryData(queryKeys.auth.me(), me);
  render(
    <AppProviders queryClient={queryClient}>
      <ServerGroupActions application="web" sg={sg} />
    </AppProviders>,
  );
  return userEvent.setup();
}

describe('server-group actions', () => {
  it('asks before disabling, naming the group, then says what happened', async () => {
    const user = renderActions('web-prod-v003');
    await user.click(screen.getByRole('button', { name: 'Disable' }));
    const dialog = screen.getByRole('dialog', { name: 'Disable web-prod-v003?' });
    expect(dialog.textContent).toContain('requests in flight finish');
    await user.click(within(dialog).getByRole('button', { name: 'Disable web-prod-v003' }));
    expect(await screen.findByText('Disabled web-prod-v003: its load balancers no longer send it traffic.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(group('web-prod-v003').disabled).toBe(true);
  });

  it('shows the server’s refusal inside the dialog and changes nothing', async () => {
    const user = renderActions('web-prod-v003');
    await user.click(screen.getByRole('button', { name: 'Resize' }));
    const dialog = screen.getByRole('dialog', { name: 'Resize web-prod-v003?' });
    const desired = within(dialog).getByLabelText(/Desired instances/);
    await user.clear(desired);
    await user.type(desired, '50');
    await user.click(within(dialog).getByRole('button', { name: 'Resize web-prod-v003' }));
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(/^capacity.desired 50 is above max \d+$/);
    expect(group('web-prod-v003').capacity.desired).toBe(3);
  });

  it('destroys after confirmation and lets the panel close', async () => {
    let gone = false;
    const sg = { ...group('web-prod-v002'), managedBy: 'local' as const };
    const queryClient = createQueryClient({ retry: false });
    queryClient.setQueryData(queryKeys.auth.me(), db.auth.me);
    render(
      <AppProviders queryClient={queryClient}>
        <ServerGroupActions application="web" sg={sg} onGone={() => (gone = true)} />
      </AppProviders>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Destroy' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Destroy web-prod-v002?' })).getByRole('button', { name: 'Destroy web-prod-v002' }));
    await screen.findByText('Destroyed web-prod-v002.');
    expect(gone).toBe(true);
    expect(db.serverGroups.some((g) => g.name === 'web-prod-v002' && g.region === 'us-east-1')).toBe(false);
  });

  it('destroys the last enabled group of a production cluster only once its name is typed', async () => {
    db.serverGroups = db.serverGroups.map((g) => (g.name === 'web-prod-v002' && g.region === 'us-east-1' ? { ...g, disabled: true } : g));
    const sg = { ...group('web-prod-v003'), managedBy: 'local' as const };
    const queryClient = createQueryClient({ retry: false });
    queryClient.setQueryData(queryKeys.auth.me(), db.auth.me);
    render(
      <AppProviders queryClient={queryClient}>
        <ServerGroupActions application="web" sg={sg} destroyNeedsName />
      </AppProviders>,
    );
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Destroy' }));
    const dialog = screen.getByRole('dialog', { name: 'Destroy web-prod-v003?' });
    expect(dialog.textContent).toContain('last enabled server group of production cluster web-prod in prod/us-east-1');
    const confirm = within(dialog).getByRole('button', { name: 'Destroy web-prod-v003' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.type(within(dialog).getByLabelText('Type web-prod-v003 to confirm'), 'web-prod-v00');
    expect(confirm.disabled).toBe(true);
    await user.type(within(dialog).getByLabelText('Type web-prod-v003 to confirm'), '3');
    await user.click(confirm);
    await screen.findByText('Destroyed web-prod-v003.');
    expect(db.serverGroups.some((g) => g.name === 'web-prod-v003' && g.region === 'us-east-1')).toBe(false);
  });

  it('protects the cluster with the traffic guard, after which disabling its last enabled group is refused', async () => {
    const user = renderActions('web-prod-v003');
    const guard = await screen.findByRole('checkbox', { name: /Traffic guard: protect cluster web-prod in prod/ });
    expect((guard as HTMLInputElement).checked).toBe(false);
    await waitFor(() => expect((guard as HTMLInputElement).disabled).toBe(false)); // the guards have loaded
    await user.click(guard);
    await waitFor(() => expect((guard as HTMLInputElement).checked).toBe(true));
    // web-prod-v002 is also enabled in us-east-1, so v003 is not the last one: disable it first.
    db.serverGroups = db.serverGroups.map((g) => (g.name === 'web-prod-v002' && g.region === 'us-east-1' ? { ...g, disabled: true } : g));
    await user.click(screen.getByRole('button', { name: 'Disable' }));
    const dialog = screen.getByRole('dialog', { name: 'Disable web-prod-v003?' });
    await user.click(within(dialog).getByRole('button', { name: 'Disable web-prod-v003' }));
    expect((await within(dialog).findByRole('alert')).textContent).toMatch(
      /^Traffic guard: cluster 'web-prod' in prod\/us-east-1 is protected and 'web-prod-v003' is its last enabled server group; refusing to disable it\./,
    );
    expect(group('web-prod-v003').disabled).toBe(false);
  });

  it('rolls back behind a confirmation, then follows the rollback Kiln runs until the previous group serves again', async () => {
    const user = renderActions('web-prod-v003');
    await user.click(screen.getByRole('button', { name: 'Roll back' }));
    const dialog = screen.getByRole('dialog', { name: 'Roll back cluster web-prod from web-prod-v003?' });
    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    const progress = await screen.findByRole('region', { name: 'Rollback of web-prod' });
    expect(await within(progress).findByText('Rolled back web-prod: web-prod-v002 serves again, web-prod-v003 is disabled.')).toBeTruthy();
    expect(within(progress).getByRole('link', { name: /^Operation [0-9a-f-]{36}$/ })).toBeTruthy();
    expect(group('web-prod-v003').disabled).toBe(true);
    expect(group('web-prod-v002').disabled).toBe(false);
  });

  it('shows why a rollback is refused inside the dialog (nothing older to go back to)', async () => {
    db.serverGroups = db.serverGroups.filter((g) => !(g.region === 'us-east-1' && g.cluster === 'web-prod' && g.name !== 'web-prod-v003'));
    const user = renderActions('web-prod-v003');
    await user.click(screen.getByRole('button', { name: 'Roll back' }));
    const dialog = screen.getByRole('dialog', { name: 'Roll back cluster web-prod from web-prod-v003?' });
    await user.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe("Cluster 'web-prod' has no server group older than 'web-prod-v003' to roll back to.");
  });

  it('cancel closes the question without acting', async () => {
    const user = renderActions('web-prod-v003');
    await user.click(screen.getByRole('button', { name: 'Destroy' }));
    const dialog = screen.getByRole('dialog', { name: 'Destroy web-prod-v003?' });
    expect(dialog.textContent).toContain('This cannot be undone.');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(db.serverGroups.some((g) => g.name === 'web-prod-v003')).toBe(true);
  });

  it('offers no actions on display-only (demo) groups', () => {
    renderActions('web-prod-v003', false);
    expect(screen.getByText(/Display-only \(demo data\)/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('offers a read-only person no actions, and says which permission is missing', () => {
    const support = {
      ...db.auth.me!,
      user: { ...db.auth.me!.user, name: 'bo', admin: false },
      grants: [{ resourceType: 'application' as const, resource: '*', permission: 'READ' as const }],
    };
    renderActions('web-prod-v003', true, support);
    expect(screen.queryByRole('button', { name: 'Disable' })).toBeNull();
    expect(screen.getByText('You need EXECUTE permission on application web and account prod; ask an admin for a role that grants it.')).toBeTruthy();
  });
});
