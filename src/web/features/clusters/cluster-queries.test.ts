import { afterEach, describe, expect, it } from 'vitest';
import { server } from '../../../../mocks/node';
import indexHtml from '../../../../index.html?raw';
import { getClusters } from '../../../shared/api/clusters';
import { endpointUrl } from '../../lib/api-client';
import { createQueryClient } from '../../lib/query-client';
import { readClusterFilters } from './cluster-filters';
import { clustersViewQuery } from './cluster-queries';

const w = globalThis as { __kilnEarlyClusters?: { path: string; response: Promise<Response> } };

afterEach(() => void delete w.__kilnEarlyClusters);

/** Runs index.html's page-start script for a page address; returns the paths it asked for. */
function pageStartAsks(pathname: string, search: string): string[] {
  const script = [...indexHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '').find((s) => s.includes('__kilnEarly'));
  const asked: string[] = [];
  const window = {} as Record<string, unknown>;
  const fetch = (path: string) => (asked.push(path), Promise.resolve(new Response('{}')));
  new Function('window', 'location', 'fetch', 'URLSearchParams', script ?? '')(window, { pathname, search }, fetch, URLSearchParams);
  return asked;
}

/** How many times the page asked the server for a clusters view. */
function countAsks(): () => number {
  let asked = 0;
  const count = ({ request }: { request: Request }) => {
    if (new URL(request.url).pathname.endsWith('/clusters')) asked++;
  };
  server.events.on('request:start', count);
  afterEach(() => void server.events.removeListener('request:start', count));
  return () => asked;
}

describe('the clusters view on a first visit', () => {
  it('is asked for by index.html before the code loads, at the very address the page would ask, filters and all', () => {
    const search = '?sg=prod~us-east-1~web-v002&q=web+v0%2F2&account=prod&showDisabled=false';
    const asked = pageStartAsks('/applications/web/clusters', search);
    const filters = readClusterFilters(new URLSearchParams(search));
    expect(asked).toContain(endpointUrl(getClusters, { params: { application: 'web' }, query: filters }));
    expect(asked).toContain('/api/applications/web/clusters?account=prod&q=web+v0%2F2&showDisabled=false');
    expect(pageStartAsks('/applications/web/pipelines', '')).toEqual(['/api/auth/me']);
  });

  it("takes that answer once instead of asking again; a later look asks the server, and another filter's view never gets it", async () => {
    const asked = countAsks();
    const client = createQueryClient();
    const early = await (await fetch('http://localhost/api/applications/web/clusters')).json();
    const before = asked();
    w.__kilnEarlyClusters = { path: '/api/applications/web/clusters', response: Promise.resolve(new Response(JSON.stringify({ ...early, shownServerGroups: 0 }))) };

    expect((await client.fetchQuery(clustersViewQuery('web', { account: 'prod' }))).shownServerGroups).toBeGreaterThan(0);
    expect(asked()).toBe(before + 1);
    expect((await client.fetchQuery(clustersViewQuery('web', {}))).shownServerGroups).toBe(0);
    expect(asked()).toBe(before + 1);
    expect((await client.fetchQuery({ ...clustersViewQuery('web', {}), staleTime: 0 })).shownServerGroups).toBeGreaterThan(0);
    expect(asked()).toBe(before + 2);
  });

  it('asks again when the early answer was from before the reader signed in', async () => {
    w.__kilnEarlyClusters = { path: '/api/applications/web/clusters', response: Promise.resolve(new Response('{"error":"unauthorized","message":"Sign in."}', { status: 401 })) };
    expect((await createQueryClient().fetchQuery(clustersViewQuery('web', {}))).shownServerGroups).toBeGreaterThan(0);
    expect(w.__kilnEarlyClusters).toBeUndefined();
  });

  it('checks the early answer like any other', async () => {
    w.__kilnEarlyClusters = { path: '/api/applications/web/clusters', response: Promise.resolve(new Response('{"accounts":"not a view"}')) };
    await expect(createQueryClient().fetchQuery(clustersViewQuery('web', {}))).rejects.toMatchObject({ code: 'invalid_response' });
  });
});
