import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '../../../../mocks/db';
import { assignImageChannel } from '../../../shared/api/images';
import { apiFetch } from '../../lib/api-client';
import { renderApp } from '../../test/render-app';

// The mock registry: shop-web v1 is revoked through its parent node-base:v1; production points at v2, latest at v3.
function runs(name: string, version: string) {
  const sg = db.serverGroups.find((g) => g.name === name && g.region === 'us-east-1')!;
  sg.image = { name: 'shop-web', version };
}

describe('image flags in the clusters view', () => {
  it('flags a group running a revoked image on its card and in its panel, and leaves a current one alone', async () => {
    runs('web-prod-v002', 'v1');
    runs('web-prod-v003', 'v2');
    renderApp('/applications/web/clusters?sg=prod/us-east-1/web-prod-v002');
    const east = within(await screen.findByRole('region', { name: 'web-prod' })).getByRole('group', { name: 'us-east-1' });
    const revoked = within(east).getByRole('link', { name: /web-prod-v002 in prod\/us-east-1/ });
    expect(await within(revoked).findByText('revoked: OpenSSL 3.0.13 in the base has CVE-2026-0042 (via node-base:v1)')).toBeTruthy();
    const warning = await screen.findByRole('status', { name: 'Image warning' });
    expect(warning.textContent).toContain('shop-web:v1 — revoked: OpenSSL 3.0.13 in the base has CVE-2026-0042 (via node-base:v1)');
    expect(within(warning).getByRole('link', { name: 'Open shop-web in the registry' }).getAttribute('href')).toBe('/images/shop-web');
    const current = within(east).getByRole('link', { name: /web-prod-v003 in prod\/us-east-1/ });
    expect(within(current).queryByText(/revoked|out of date/)).toBeNull();
  });

  it('flags a group left behind when its channel moves on', async () => {
    runs('web-prod-v003', 'v2');
    await apiFetch(assignImageChannel, { params: { name: 'shop-web', channel: 'production' }, body: { version: 'v3' } });
    renderApp('/applications/web/clusters');
    const east = within(await screen.findByRole('region', { name: 'web-prod' })).getByRole('group', { name: 'us-east-1' });
    const card = within(east).getByRole('link', { name: /web-prod-v003 in prod\/us-east-1/ });
    expect(await within(card).findByText('out of date: v2 running, channel production points at v3')).toBeTruthy();
  });
});
