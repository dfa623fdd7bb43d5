import { fireEvent, screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { groupClusters } from '../../../shared/domain/cluster';
import { ServerGroup } from '../../../shared/domain/server-group';
import { db } from '../../../../mocks/db';
import { server } from '../../../../mocks/node';
import { renderApp } from '../../test/render-app';
import { FIRST_CLUSTERS } from './clusters-board';

/** web with 200 clusters of one server group each (web-c000 … web-c199) in prod/us-east-1. */
function fleet() {
  const template = db.serverGroups.find((g) => g.application === 'web' && g.account === 'prod')!;
  const groups = Array.from({ length: 200 }, (_, i) => {
    const cluster = `web-c${String(i).padStart(3, '0')}`;
    const name = `${cluster}-v001`;
    const { stack: _stack, detail: _detail, ...rest } = template;
    return ServerGroup.parse({
      ...rest,
      cluster,
      name,
      region: 'us-east-1',
      instances: template.instances.map((x) => ({
        ...x,
        serverGroup: name,
        region: 'us-east-1',
      })),
    });
  });
  server.use(http.get('*/api/applications/web/clusters', () => HttpResponse.json(groupClusters('web', groups, { showDisabled: true }))));
}

const clusterHeadings = () =>
  within(screen.getByRole('region', { name: 'prod' })).getAllByRole('heading', {
    level: 3,
  });

describe('clusters view of a large fleet', () => {
  it('renders the first clusters at once and the rest on request, saying how many are not shown', async () => {
    fleet();
    renderApp('/applications/web/clusters');
    await screen.findByRole('region', { name: 'web-c000' }, { timeout: 10_000 });
    expect(clusterHeadings()).toHaveLength(FIRST_CLUSTERS);
    // The account header still counts the whole fleet.
    expect(screen.getByText(/200 clusters · 200 server groups/)).toBeTruthy();
    const more = screen.getByRole('button', {
      name: `Show more (${200 - FIRST_CLUSTERS} clusters not shown yet)`,
    });
    fireEvent.click(more);
    await screen.findByRole('region', {
      name: `web-c${String(FIRST_CLUSTERS).padStart(3, '0')}`,
    });
    expect(clusterHeadings().length).toBeGreaterThan(FIRST_CLUSTERS);
  });

  it('renders the selected server group of a shared link however far down its cluster is', async () => {
    fleet();
    renderApp('/applications/web/clusters?sg=prod/us-east-1/web-c150-v001');
    const cluster = await screen.findByRole('region', { name: 'web-c150' }, { timeout: 10_000 });
    expect(
      within(cluster)
        .getByRole('link', { name: /web-c150-v001 in prod\/us-east-1/ })
        .getAttribute('aria-current'),
    ).toBe('true');
    expect(
      screen.getByRole('button', {
        name: 'Show more (49 clusters not shown yet)',
      }),
    ).toBeTruthy();
  });
});
