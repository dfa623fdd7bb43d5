import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { server } from '../../../../mocks/node';
import { renderApp } from '../../test/render-app';

const cardNames = (group: HTMLElement) =>
  within(group)
    .getAllByRole('link')
    // The card's name line: the server group and where it runs (the rest of the card follows it).
    .map((link) => link.querySelector('p')?.textContent);

function instanceIds(account: string, region: string, name: string) {
  const sg = db.serverGroups.find((g) => g.account === account && g.region === region && g.name === name);
  if (!sg) throw new Error(`no fixture ${name}`);
  return sg.instances.map((i) => i.id);
}

describe('clusters view', () => {
  it('groups server groups by account, then cluster, then region, newest first', async () => {
    renderApp('/applications/web/clusters');
    // The file's first render also loads the page's modules: on a busy machine that alone can take seconds.
    const prod = await screen.findByRole('region', { name: 'prod' }, { timeout: 10_000 });
    expect(within(prod).getByText('prod', { selector: '[title="prod environment"]' })).toBeTruthy();
    const staging = screen.getByRole('region', { name: 'staging' });
    expect(
      within(staging)
        .getAllByRole('heading', { level: 3 })
        .map((h) => h.textContent),
    ).toEqual(['web-staging', 'web-staging-canary']);

    const webProd = within(prod).getByRole('region', { name: 'web-prod' });
    const regions = within(webProd).getAllByRole('group');
    expect(regions.map((r) => within(r).getByRole('heading', { level: 4 }).textContent)).toEqual(['eu-west-1', 'us-east-1']);
    const east = within(webProd).getByRole('group', { name: 'us-east-1' });
    expect(cardNames(east)).toEqual(['web-prod-v003 in prod/us-east-1', 'web-prod-v002 in prod/us-east-1', 'web-prod-v001 in prod/us-east-1']);
    const v001 = within(east).getByRole('link', { name: /web-prod-v001 in prod\/us-east-1/ });
    expect(within(v001).getByText('Disabled')).toBeTruthy();
    expect(within(v001).getByText('web:2.3.0')).toBeTruthy();
    expect(screen.getByText('7 of 7 server groups shown')).toBeTruthy();
  });

  it('shows one labelled health dot per instance', async () => {
    renderApp('/applications/web/clusters');
    const east = within(await screen.findByRole('region', { name: 'web-prod' })).getByRole('group', { name: 'us-east-1' });
    const card = within(east).getByRole('link', { name: /web-prod-v003 in prod\/us-east-1/ });
    const [a, b, c] = instanceIds('prod', 'us-east-1', 'web-prod-v003');
    const dots = within(card).getAllByRole('img');
    expect(dots.map((d) => d.getAttribute('aria-label'))).toEqual([`${a} up`, `${b} up`, `${c} starting`]);
    const [parked] = instanceIds('prod', 'us-east-1', 'web-prod-v001');
    expect(screen.getByRole('img', { name: `${parked} out of service` })).toBeTruthy();
  });

  it('filters by region through the URL and the API', async () => {
    const { user, search } = renderApp('/applications/web/clusters');
    await screen.findByRole('region', { name: 'prod' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Region' }), 'eu-west-1');
    expect(search()).toEqual({ region: 'eu-west-1' });
    expect(await screen.findByText('2 of 7 server groups shown')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('region', { name: 'staging' })).toBeNull());
    expect(screen.queryByRole('group', { name: 'us-east-1' })).toBeNull();
    expect(cardNames(screen.getByRole('group', { name: 'eu-west-1' }))).toEqual(['web-prod-v003 in prod/eu-west-1', 'web-prod-v002 in prod/eu-west-1']);

    await user.click(screen.getByRole('checkbox', { name: 'Show disabled' }));
    expect(search()).toEqual({ region: 'eu-west-1', showDisabled: 'false' });
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(search()).toEqual({});
    expect(await screen.findByText('7 of 7 server groups shown')).toBeTruthy();
  });

  it('starts from filters in a shared URL', async () => {
    renderApp('/applications/web/clusters?showDisabled=false&account=prod');
    expect(await screen.findByText('4 of 7 server groups shown')).toBeTruthy();
    expect((screen.getByRole('combobox', { name: 'Account' }) as HTMLSelectElement).value).toBe('prod');
    expect((screen.getByRole('checkbox', { name: 'Show disabled' }) as HTMLInputElement).checked).toBe(false);
    expect(screen.queryByRole('link', { name: /web-prod-v001/ })).toBeNull();
  });

  it('opens a server group in a side panel with its instances, and closes it with Esc back to its card', async () => {
    const { user, search } = renderApp('/applications/web/clusters');
    const east = within(await screen.findByRole('region', { name: 'web-prod' })).getByRole('group', { name: 'us-east-1' });
    const card = within(east).getByRole('link', { name: /web-prod-v003 in prod\/us-east-1/ });
    await user.click(card);
    expect(search()).toEqual({ sg: 'prod/us-east-1/web-prod-v003' });

    const panel = screen.getByRole('complementary', { name: 'web-prod-v003' });
    const instances = await within(panel).findByRole('table', { name: 'Instances' });
    const rows = within(instances).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(instanceIds('prod', 'us-east-1', 'web-prod-v003'));
    expect(within(rows[2]!).getByText('Starting')).toBeTruthy();
    expect(within(rows[2]!).getByText('waiting for the instance to report ready')).toBeTruthy();
    const lbs = within(panel).getByRole('table', { name: 'Load balancers' });
    expect(within(lbs).getByRole('row', { name: /web-prod-frontend/ }).textContent).toContain('50%');
    expect(within(panel).getByText('web:2.5.0')).toBeTruthy();

    expect(document.activeElement).toBe(panel);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('complementary')).toBeNull();
    expect(search()).toEqual({});
    // Keyboard users carry on from the card they opened, not from the top of the page.
    expect(document.activeElement).toBe(card);
  });

  it('reopens the panel from a deep link and closes it with the button', async () => {
    const { user, search } = renderApp('/applications/web/clusters?sg=prod/us-east-1/web-prod-v001&region=us-east-1');
    const panel = await screen.findByRole('complementary', { name: 'web-prod-v001' });
    expect(await within(panel).findByText('Disabled')).toBeTruthy();
    expect(within(panel).getAllByText('Out of service')).toHaveLength(2);
    await user.click(within(panel).getByRole('button', { name: 'Close details' }));
    expect(screen.queryByRole('complementary')).toBeNull();
    expect(search()).toEqual({ region: 'us-east-1' });
  });

  it('says in the panel when a deep-linked server group no longer exists, without a Retry', async () => {
    renderApp('/applications/web/clusters?sg=prod/us-east-1/web-prod-v999&region=us-east-1');
    const panel = await screen.findByRole('complementary', { name: 'web-prod-v999' });
    const alert = await within(panel).findByRole('alert');
    expect(within(alert).getByRole('heading', { name: "Server group 'web-prod-v999' does not exist in prod/us-east-1" })).toBeTruthy();
    expect(within(alert).queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('shows a server error in the panel with a Retry that loads the server group', async () => {
    server.use(
      http.get(
        '*/api/applications/:application/server-groups/:account/:region/:serverGroup',
        () => HttpResponse.json({ error: 'internal', message: 'Database unavailable.' }, { status: 500 }),
        {
          once: true,
        },
      ),
    );
    const { user } = renderApp('/applications/web/clusters?sg=prod/us-east-1/web-prod-v001&region=us-east-1');
    const panel = await screen.findByRole('complementary', { name: 'web-prod-v001' });
    const alert = await within(panel).findByRole('alert');
    expect(within(alert).getByText('Database unavailable.')).toBeTruthy();
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await within(panel).findByText('Disabled')).toBeTruthy();
    expect(within(panel).queryByRole('alert')).toBeNull();
  });

  it('says when an application does not exist', async () => {
    renderApp('/applications/ghost/clusters');
    expect(await screen.findByRole('heading', { level: 1, name: "Application 'ghost' does not exist" })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back to applications' }).getAttribute('href')).toBe('/applications');
  });

  it('says when an application has no server groups yet', async () => {
    renderApp('/applications/ledger/clusters');
    expect(await screen.findByRole('heading', { name: 'This application has no server groups yet' })).toBeTruthy();
    expect(screen.queryByRole('search')).toBeNull();
  });

  it('shows a server error with a Retry that refetches', async () => {
    server.use(
      http.get('*/api/applications/:application/clusters', () => HttpResponse.json({ error: 'internal', message: 'Database unavailable.' }, { status: 500 }), { once: true }),
    );
    const { user } = renderApp('/applications/web/clusters');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Database unavailable.')).toBeTruthy();
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('region', { name: 'prod' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('explains a malformed filter in the URL and offers to clear it', async () => {
    const { user, search } = renderApp('/applications/web/clusters?showDisabled=yes');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText(/query parameter 'showDisabled'/)).toBeTruthy();
    expect(within(alert).queryByRole('button', { name: 'Retry' })).toBeNull();
    await user.click(within(alert).getByRole('link', { name: 'Clear filters' }));
    expect(search()).toEqual({});
    expect(await screen.findByRole('region', { name: 'prod' })).toBeTruthy();
  });
  it("marks the two groups of a rollback under way 'rolling back…' on their cards", async () => {
    const at = '2026-11-23T10:00:00.000Z';
    const underWay = {
      id: '33333333-3333-4333-8333-333333333333',
      kind: 'rollback',
      application: 'web',
      account: 'prod',
      region: 'us-east-1',
      cluster: 'web-prod',
      requestedBy: 'ana',
      params: { healthyTimeoutSec: 120 },
      state: 'RUNNING',
      steps: [{ name: 'restore', at, message: 'Rolling back web-prod from web-prod-v003 to web-prod-v002; waiting for 3 healthy instances' }],
      from: 'web-prod-v003',
      to: 'web-prod-v002',
      createdAt: at,
      updatedAt: at,
    };
    server.use(http.get('*/api/applications/web/cluster-operations', () => HttpResponse.json([underWay])));
    renderApp('/applications/web/clusters');
    const east = within(await screen.findByRole('region', { name: 'web-prod' }, { timeout: 5000 })).getByRole('group', { name: 'us-east-1' });
    const card = (name: string) => within(east).getByRole('link', { name: new RegExp(`${name} in prod/us-east-1`) });
    await waitFor(() => expect(within(card('web-prod-v003')).getByText('rolling back…')).toBeTruthy());
    expect(within(card('web-prod-v002')).getByText('rolling back…')).toBeTruthy();
    expect(within(card('web-prod-v001')).queryByText('rolling back…')).toBeNull();
  });
});
