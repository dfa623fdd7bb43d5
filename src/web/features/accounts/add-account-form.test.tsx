import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { renderApp } from '../../test/render-app';

describe('adding a kubernetes account', () => {
  it('asks for namespaces, a kubeconfig (write-only), a context and a registry', async () => {
    const { user } = renderApp('/admin/accounts');
    const form = await screen.findByRole('form', { name: 'Add an account' });
    await user.type(within(form).getByLabelText('Account name'), 'prod-k8s');
    await user.selectOptions(within(form).getByLabelText('Provider'), 'kubernetes');
    const namespaces = within(form).getByLabelText('Namespaces');
    await user.clear(namespaces);
    await user.type(namespaces, 'web,payments');
    await user.type(within(form).getByLabelText('Kubeconfig'), 'apiVersion: v1');
    await user.type(within(form).getByLabelText('Context'), 'prod');
    await user.type(within(form).getByLabelText('Registry'), 'registry.example.com/team');
    await user.click(within(form).getByRole('button', { name: 'Add account' }));
    const row = await screen.findByTestId('account-prod-k8s');
    expect(await within(row).findByText('reachable, engine Kubernetes v1.31.0 (mock)')).toBeTruthy();
    const stored = db.accounts.find((a) => a.name === 'prod-k8s');
    expect(stored).toMatchObject({
      provider: 'kubernetes',
      regions: ['web', 'payments'],
      endpoint: { context: 'prod', registry: 'registry.example.com/team' },
      credentials: { setBy: expect.any(String) },
    });
    // Written, never read back: the row shows who set the credentials, not the kubeconfig.
    expect(row.textContent).not.toContain('apiVersion');
  });
});
