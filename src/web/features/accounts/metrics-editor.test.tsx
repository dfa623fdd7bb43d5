import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { server } from '../../../../mocks/node';
import { Account } from '../../../shared/domain/account';
import { renderApp } from '../../test/render-app';

// What the dashboard sends when an admin sets a Kubernetes account's Prometheus: the token goes out
// once, in the request, and the row shows only who set it and when.
let sent: Array<Record<string, unknown>> = [];
const record = async ({ request }: { request: Request }) => {
  if (request.method === 'PATCH' && new URL(request.url).pathname === '/api/accounts/k8s-web') sent.push((await request.clone().json()) as Record<string, unknown>);
};
beforeEach(() => {
  sent = [];
  server.events.on('request:start', record);
  db.accounts.push(Account.parse({ name: 'k8s-web', provider: 'kubernetes', environment: 'prod', regions: ['web'], demo: false }));
});
afterEach(() => {
  server.events.removeListener('request:start', record);
});

const TOKEN = 'prom-token-typed-once-61c2';

describe("a Kubernetes account's metrics source in the dashboard", () => {
  it('says canaries are refused without one; sets URL and token, the token sent once and shown only as set by whom', async () => {
    const { user } = renderApp('/admin/accounts');
    const row = await screen.findByTestId('account-k8s-web');
    expect(within(row).getByText('no metrics source: canary deploys are refused')).toBeTruthy();
    // Its API server is in the write-only kubeconfig: the row does not claim it runs on this machine.
    expect(within(row).getByText('the kubeconfig’s cluster')).toBeTruthy();
    expect(within(row).queryByText('this machine')).toBeNull();
    await user.click(within(row).getByRole('button', { name: 'Set metrics' }));
    await user.type(within(row).getByLabelText('Prometheus URL of k8s-web'), 'http://prometheus.monitoring:9090');
    const token = within(row).getByLabelText('Prometheus token of k8s-web') as HTMLInputElement;
    expect(token.type).toBe('password');
    await user.type(token, TOKEN);
    await user.click(within(row).getByRole('button', { name: 'Save metrics' }));
    await waitFor(() => expect(within(row).getByText(/^metrics: Prometheus http:\/\/prometheus\.monitoring:9090 \(token set on .* by .*\)$/)).toBeTruthy());
    expect(sent).toEqual([{ metrics: { prometheus: { url: 'http://prometheus.monitoring:9090', token: TOKEN } } }]);
    expect(document.body.innerHTML).not.toContain(TOKEN);
    expect([...document.querySelectorAll('input')].map((i) => i.value)).not.toContain(TOKEN);

    // A new URL with the token left empty keeps the stored token: none is sent.
    await user.click(within(row).getByRole('button', { name: 'Edit metrics' }));
    expect((within(row).getByLabelText('Prometheus token of k8s-web') as HTMLInputElement).value).toBe('');
    const url = within(row).getByLabelText('Prometheus URL of k8s-web');
    await user.clear(url);
    await user.type(url, 'https://prom.example.com');
    await user.click(within(row).getByRole('button', { name: 'Save metrics' }));
    await waitFor(() => expect(within(row).getByText(/^metrics: Prometheus https:\/\/prom\.example\.com \(token set on/)).toBeTruthy());
    expect(sent[1]).toEqual({ metrics: { prometheus: { url: 'https://prom.example.com' } } });

    // Clearing the URL removes the source and its token.
    await user.click(within(row).getByRole('button', { name: 'Edit metrics' }));
    await user.clear(within(row).getByLabelText('Prometheus URL of k8s-web'));
    await user.click(within(row).getByRole('button', { name: 'Save metrics' }));
    await waitFor(() => expect(within(row).getByText('no metrics source: canary deploys are refused')).toBeTruthy());
    expect(sent[2]).toEqual({ metrics: null });
  });
});
