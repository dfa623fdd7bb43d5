import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { server } from '../../../../mocks/node';
import { AppProviders } from '../../app/providers';
import { createQueryClient } from '../../lib/query-client';
import { queryKeys } from '../../lib/query-keys';
import { InstancesTable } from './instances-table';

const group = () => db.serverGroups.find((g) => g.name === 'web-prod-v003' && g.region === 'us-east-1')!;

function renderTable(me = db.auth.me, managed = true) {
  const sg = { ...group(), ...(managed ? { managedBy: 'local' as const } : {}) };
  const queryClient = createQueryClient({ retry: false });
  queryClient.setQueryData(queryKeys.auth.me(), me);
  const table = (instances = sg.instances) => (
    <AppProviders queryClient={queryClient}>
      <InstancesTable instances={instances} logs operate={managed ? sg : undefined} />
    </AppProviders>
  );
  const { rerender } = render(table());
  return { user: userEvent.setup(), sg, show: (instances: typeof sg.instances) => rerender(table(instances)) };
}

describe('instance actions', () => {
  it('reboots an instance at once and says it is out of traffic until healthy', async () => {
    const { user, sg } = renderTable();
    const id = sg.instances[0]!.id;
    await user.click(screen.getByRole('button', { name: `Reboot ${id}` }));
    expect(await screen.findByText(`Rebooting ${id}: it is out of traffic until it is healthy again.`)).toBeTruthy();
    expect(group().instances.map((i) => i.id)).toContain(id);
  });

  it('asks before terminating, naming the instance; Cancel leaves it, confirming replaces it', async () => {
    const { user, sg } = renderTable();
    const id = sg.instances[1]!.id;
    await user.click(screen.getByRole('button', { name: `Terminate ${id}` }));
    const dialog = screen.getByRole('dialog', { name: `Terminate ${id}?` });
    expect(dialog.textContent).toContain('web-prod-v003 launches a new instance');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(group().instances.map((i) => i.id)).toContain(id);
    await user.click(screen.getByRole('button', { name: `Terminate ${id}` }));
    await user.click(within(screen.getByRole('dialog', { name: `Terminate ${id}?` })).getByRole('button', { name: `Terminate ${id}` }));
    expect(await screen.findByText(`Terminated ${id}; web-prod-v003 starts a replacement.`)).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(group().instances.map((i) => i.id)).not.toContain(id);
    expect(group().instances).toHaveLength(sg.instances.length);
  });

  it('still says the instance was terminated when its row left the table before the answer came', async () => {
    const { user, sg, show } = renderTable();
    const id = sg.instances[1]!.id;
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    server.use(
      // Answers nothing itself: after the wait, the request falls through to the mock world's handler.
      http.post('*/instances/:instanceId/terminate', async () => {
        await answered;
      }),
    );
    await user.click(screen.getByRole('button', { name: `Terminate ${id}` }));
    await user.click(within(screen.getByRole('dialog', { name: `Terminate ${id}?` })).getByRole('button', { name: `Terminate ${id}` }));
    // A live refetch drops the row while the request is still out.
    show(sg.instances.filter((i) => i.id !== id));
    expect(screen.queryByRole('button', { name: `Terminate ${id}` })).toBeNull();
    answer();
    expect(await screen.findByText(`Terminated ${id}; web-prod-v003 starts a replacement.`)).toBeTruthy();
  });

  it('shows a read-only person the buttons disabled, with the permission they lack', async () => {
    const support = {
      ...db.auth.me!,
      user: { ...db.auth.me!.user, name: 'bo', admin: false },
      grants: [{ resourceType: 'application' as const, resource: '*', permission: 'READ' as const }],
    };
    const { user, sg } = renderTable(support);
    const id = sg.instances[0]!.id;
    const reboot = screen.getByRole('button', { name: `Reboot ${id}` }) as HTMLButtonElement;
    const terminate = screen.getByRole('button', { name: `Terminate ${id}` }) as HTMLButtonElement;
    expect(reboot.disabled).toBe(true);
    expect(terminate.disabled).toBe(true);
    const why = 'You need EXECUTE permission on application web and account prod; ask an admin for a role that grants it.';
    expect(reboot.title).toBe(why);
    expect(screen.getByText(`Reboot and Terminate: ${why}`)).toBeTruthy();
    await user.click(terminate);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('offers no instance actions on display-only (demo) groups', () => {
    renderTable(db.auth.me, false);
    expect(screen.queryByRole('button', { name: /^Reboot/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Terminate/ })).toBeNull();
  });
});
