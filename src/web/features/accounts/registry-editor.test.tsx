import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { server } from '../../../../mocks/node';
import { renderApp } from '../../test/render-app';

// What the dashboard sends when an admin sets a docker account's registry: the password goes out
// once, in the request, and is never shown again (the API has no way to send it back).
let sent: { method: string; path: string; body: Record<string, unknown> }[] = [];
const record = async ({ request }: { request: Request }) => {
  const path = new URL(request.url).pathname;
  if (request.method !== 'GET' && path.startsWith('/api/accounts')) sent.push({ method: request.method, path, body: (await request.clone().json()) as Record<string, unknown> });
};
beforeEach(() => {
  sent = [];
  server.events.on('request:start', record);
});
afterEach(() => {
  server.events.removeListener('request:start', record);
});

const PASSWORD = 'pw-typed-once-9f3a';

describe("a docker account's registry in the dashboard", () => {
  it('is offered when adding a docker account: registry, user and a masked password sent write-only', async () => {
    const { user } = renderApp('/admin/accounts');
    const form = await screen.findByRole('form', { name: 'Add an account' });
    await user.type(within(form).getByLabelText('Account name'), 'edge');
    await user.selectOptions(within(form).getByLabelText('Provider'), 'docker');
    await user.type(within(form).getByLabelText('Docker host'), 'unix:///run/podman/podman.sock');
    await user.type(within(form).getByLabelText('Registry'), 'registry.example.com/edge');
    await user.type(within(form).getByLabelText('Registry user'), 'robot');
    const password = within(form).getByLabelText('Registry password') as HTMLInputElement;
    expect(password.type).toBe('password');
    await user.type(password, PASSWORD);
    await user.click(within(form).getByRole('button', { name: 'Add account' }));
    const row = await screen.findByTestId('account-edge');
    expect(within(row).getByText('registry registry.example.com/edge')).toBeTruthy();
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/api/accounts',
        body: expect.objectContaining({
          endpoint: { dockerHost: 'unix:///run/podman/podman.sock', registry: 'registry.example.com/edge' },
          credentials: { registryUsername: 'robot', registryPassword: PASSWORD },
        }),
      },
    ]);
    expect(db.accounts.find((a) => a.name === 'edge')?.endpoint.registry).toBe('registry.example.com/edge');
    // Nothing on the page holds the password once it was sent: the form was emptied, the row shows who set it.
    expect(document.body.innerHTML).not.toContain(PASSWORD);
    expect([...document.querySelectorAll('input')].map((i) => i.value)).not.toContain(PASSWORD);
    expect(within(row).getByText(/^Set on .* by /)).toBeTruthy();
  });

  it("edits an existing account's registry and login, sending only the login so its other credentials stay", async () => {
    const { user } = renderApp('/admin/accounts');
    const row = await screen.findByTestId('account-lab');
    expect(within(row).getByText('registry registry.example.com/lab')).toBeTruthy();
    await user.click(within(row).getByRole('button', { name: 'Edit registry' }));
    const form = within(row).getByRole('form', { name: 'Edit the registry of lab' });
    // The stored password is never sent to the browser: the field starts empty.
    expect((within(form).getByLabelText('Registry password of lab') as HTMLInputElement).value).toBe('');
    const registry = within(form).getByLabelText('Registry of lab');
    await user.clear(registry);
    await user.type(registry, '127.0.0.1:5000/lab');
    await user.type(within(form).getByLabelText('Registry user of lab'), 'ci-bot');
    await user.type(within(form).getByLabelText('Registry password of lab'), PASSWORD);
    await user.click(within(form).getByRole('button', { name: 'Save registry' }));
    await waitFor(() => expect(within(row).getByText('registry 127.0.0.1:5000/lab')).toBeTruthy());
    expect(sent).toEqual([
      {
        method: 'PATCH',
        path: '/api/accounts/lab',
        body: { endpoint: { dockerHost: 'unix:///run/podman/podman.sock', registry: '127.0.0.1:5000/lab' }, registryLogin: { username: 'ci-bot', password: PASSWORD } },
      },
    ]);
    expect(row.innerHTML).not.toContain(PASSWORD);
  });

  it('removes the registry and its login when the registry is cleared', async () => {
    const { user } = renderApp('/admin/accounts');
    const row = await screen.findByTestId('account-lab');
    await user.click(within(row).getByRole('button', { name: 'Edit registry' }));
    await user.clear(within(row).getByLabelText('Registry of lab'));
    await user.click(within(row).getByRole('button', { name: 'Save registry' }));
    await waitFor(() => expect(within(row).getByText('no registry')).toBeTruthy());
    expect(sent.map((s) => s.body)).toEqual([{ endpoint: { dockerHost: 'unix:///run/podman/podman.sock' }, registryLogin: null }]);
  });
});
