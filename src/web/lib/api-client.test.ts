import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { getClusters, getServerGroup } from '../../shared/api/clusters';
import { getApplication, listApplications } from '../../shared/api/applications';
import { server } from '../../../mocks/node';
import { apiFetch, ApiRequestError, endpointUrl } from './api-client';

describe('endpointUrl', () => {
  it('fills and encodes path parameters and leaves out undefined query values', () => {
    expect(
      endpointUrl(getServerGroup, {
        params: { application: 'web', account: 'prod', region: 'us-east-1', serverGroup: 'web--x~y-v001' },
      }),
    ).toBe('/api/applications/web/server-groups/prod/us-east-1/web--x~y-v001');
    expect(endpointUrl(getClusters, { params: { application: 'web' }, query: { region: 'eu west', q: undefined, showDisabled: 'false' } })).toBe(
      '/api/applications/web/clusters?region=eu+west&showDisabled=false',
    );
  });
});

describe('apiFetch', () => {
  it('returns the parsed body', async () => {
    const apps = await apiFetch(listApplications, { query: { q: 'stock' } });
    expect(apps.map((a) => a.name)).toEqual(['inventory']);
  });

  it('turns an ApiError body into an ApiRequestError with status, message and field', async () => {
    const error = await apiFetch(getClusters, { params: { application: 'web' }, query: { region: 'Not A Region' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 400, code: 'bad_request', field: 'region', retryable: false });
  });

  it('reports an unreachable server and a non-JSON 5xx as retryable', async () => {
    server.use(http.get('*/api/applications/:application', () => HttpResponse.error(), { once: true }));
    await expect(apiFetch(getApplication, { params: { application: 'web' } })).rejects.toMatchObject({
      status: 0,
      code: 'network',
      retryable: true,
    });
    server.use(http.get('*/api/applications/:application', () => new HttpResponse('Bad gateway', { status: 502 }), { once: true }));
    await expect(apiFetch(getApplication, { params: { application: 'web' } })).rejects.toMatchObject({
      status: 502,
      retryable: true,
    });
  });

  it('refuses an answer that breaks the contract', async () => {
    server.use(http.get('*/api/applications/:application', () => HttpResponse.json({ name: 'web' }), { once: true }));
    await expect(apiFetch(getApplication, { params: { application: 'web' } })).rejects.toMatchObject({
      code: 'invalid_response',
    });
  });
});
