import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { server } from '../node';
import { resetImages, versions } from './images';
import { recipeRevisions, resetRecipes } from './recipes';

// The web tests share each worker's modules (isolate: false), so what one file changes in the mock
// API must be put back before the next: a version revoked in one file was still revoked in another.
const ORIGIN = 'http://kiln.test';
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const call = (method: string, path: string, body?: unknown) =>
  fetch(new URL(path, ORIGIN), { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
const v3 = () => versions().find((v) => v.name === 'shop-web' && v.version === 'v3');

describe('mock API state between tests', () => {
  it('puts back revoked and deleted image versions and saved recipe revisions', async () => {
    expect(v3()?.revoked).toBe(false);
    expect((await call('POST', '/api/images/shop-web/versions/v3/revoke', { reason: 'memory leak under load' })).status).toBe(200);
    expect(v3()?.revoked).toBe(true);
    expect(versions().some((v) => v.name === 'shop-web' && v.version === 'v1')).toBe(true);
    expect((await call('DELETE', '/api/images/shop-web/versions/v1')).status).toBeLessThan(300);
    expect(versions().some((v) => v.name === 'shop-web' && v.version === 'v1')).toBe(false);
    const revisions = recipeRevisions.length;
    recipeRevisions.push({ ...recipeRevisions[0]! });

    resetImages();
    resetRecipes();
    expect(v3()?.revoked).toBe(false);
    expect(versions().some((v) => v.name === 'shop-web' && v.version === 'v1')).toBe(true);
    expect(recipeRevisions).toHaveLength(revisions);
  });
});
