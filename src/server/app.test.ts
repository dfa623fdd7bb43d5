import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { allEndpoints } from '../shared/api/all';
import { Health } from '../shared/api/system';
import { BODY_LIMIT_BYTES } from './app';
import { openTestApp } from './test-app';

let app: FastifyInstance;
let close: () => Promise<void>;
const spa = mkdtempSync(join(tmpdir(), 'kiln-spa-'));
beforeAll(async () => {
  writeFileSync(join(spa, 'index.html'), '<!doctype html><title>Kiln</title><div id="root"></div>');
  mkdirSync(join(spa, 'assets'));
  writeFileSync(join(spa, 'assets', 'main-abc123.js'), 'console.log(1)');
  ({ app, close } = await openTestApp({ staticRoot: spa }));
});
afterAll(() => close());

describe('system', () => {
  it('reports health with the database driver', async () => {
    const res = await app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    const health = Health.parse(res.json());
    expect(health.status).toBe('ok');
    expect(health.database.ok).toBe(true);
  });

  it('publishes an OpenAPI document with every endpoint and its parameters', async () => {
    const doc = (await app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const e of Object.values(allEndpoints)) {
      const path = e.path.replace(/::|:([A-Za-z]+)/g, (_, name?: string) => (name ? `{${name}}` : ':'));
      expect(doc.paths[path]?.[e.method.toLowerCase()], `${e.method} ${path}`).toBeDefined();
    }
    const clusters = doc.paths['/api/applications/{application}/clusters'].get;
    expect(clusters.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['application', 'account', 'region', 'stack', 'q', 'showDisabled']));
  });
});

describe('bad requests', () => {
  it('refuses an oversize body with 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'big', displayName: 'x'.repeat(BODY_LIMIT_BYTES), ownerEmail: 'a@b.co' }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe('payload_too_large');
  });

  it('refuses malformed JSON with 400 and a non-JSON body with 415', async () => {
    const broken = await app.inject({
      method: 'POST',
      url: '/api/projects',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toBe('bad_request');
    const text = await app.inject({ method: 'POST', url: '/api/projects', headers: { 'content-type': 'text/csv' }, payload: 'a,b' });
    expect(text.statusCode).toBe(415);
    expect(text.json().message).toContain('application/json');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await app.inject('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'No route GET /api/nothing-here.' });
  });
});

describe('the dashboard', () => {
  it('serves index.html for client-side routes (history API fallback)', async () => {
    const res = await app.inject({ url: '/applications/web/clusters?region=east', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets with a long cache and 404s missing ones', async () => {
    const asset = await app.inject('/assets/main-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject('/assets/missing-000.js')).statusCode).toBe(404);
  });
});
