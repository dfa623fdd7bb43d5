import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { TranslateButaneResponse } from '../../shared/api/provisioning';
import { openTestApp } from '../test-app';

let app: FastifyInstance;
let close: () => Promise<void>;
beforeAll(async () => ({ app, close } = await openTestApp({ seed: false })));
afterAll(() => close());

const translate = (payload: unknown) => app.inject({ method: 'POST', url: '/api/provisioning/butane:translate', payload: payload as object });

const BUTANE = `variant: flatcar
version: 1.0.0
storage:
  files:
    - path: /etc/hostname
      filesystem: root
      mode: 0644
      contents:
        inline: web-1
`;

describe('POST /api/provisioning/butane:translate', () => {
  it('translates Butane to Ignition 3.3.0 and positions the unused-key warning', async () => {
    const res = await translate({ butane: BUTANE });
    expect(res.statusCode).toBe(200);
    const body = TranslateButaneResponse.parse(res.json());
    expect(body.ignition?.ignition.version).toBe('3.3.0');
    expect(body.ignition?.storage?.files?.[0]).toMatchObject({ path: '/etc/hostname', mode: 420 });
    expect(body.warnings).toEqual([expect.objectContaining({ path: '$.storage.files.0.filesystem', line: 6, column: 7, message: 'Unused key filesystem' })]);
  });

  it('turns warnings into errors with strict, and reports broken YAML as data, not a 500', async () => {
    const strict = TranslateButaneResponse.parse((await translate({ butane: BUTANE, strict: true })).json());
    expect(strict.ignition).toBeNull();
    expect(strict.errors[0]?.message).toContain('filesystem');
    const broken = await translate({ butane: 'variant: flatcar\nversion: [1.0.0\n' });
    expect(broken.statusCode).toBe(200);
    expect(TranslateButaneResponse.parse(broken.json()).errors.length).toBeGreaterThan(0);
  });

  it('rejects path traversal in file paths', async () => {
    const body = TranslateButaneResponse.parse((await translate({ butane: 'variant: flatcar\nversion: 1.0.0\nstorage:\n  files:\n    - path: /srv/../../etc/passwd\n' })).json());
    expect(body.ignition).toBeNull();
    expect(body.errors.map((e) => e.path)).toContain('$.storage.files.0.path');
  });

  it('answers 400 naming the field for a malformed request', async () => {
    const res = await translate({ yaml: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('butane');
  });
});

describe('POST /api/provisioning/intent:render', () => {
  const render = (payload: unknown) => app.inject({ method: 'POST', url: '/api/provisioning/intent:render', payload: payload as object });

  it('renders an intent as cloud-config, Butane or Ignition', async () => {
    const intent = { hostname: 'web-1', files: [{ path: '/etc/motd', content: 'hi\n' }] };
    const cloud = await render({ intent, format: 'cloud-init' });
    expect(cloud.statusCode).toBe(200);
    expect(cloud.json()).toMatchObject({ format: 'cloud-init', contentType: 'text/cloud-config', output: expect.stringMatching(/^#cloud-config\nhostname: web-1/) });
    const ignition = await render({ intent, format: 'ignition' });
    expect(JSON.parse(ignition.json().output).storage.files).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/etc/motd' })]));
  });

  it('refuses an unknown format or an invalid intent with the field named', async () => {
    const format = await render({ intent: {}, format: 'kickstart' });
    expect(format.statusCode).toBe(400);
    expect(format.json()).toMatchObject({ field: 'format', message: expect.stringContaining('cloud-init, ignition, butane') });
    const path = await render({ intent: { files: [{ path: 'etc/motd', content: 'x' }] }, format: 'butane' });
    expect(path.statusCode).toBe(400);
    expect(path.json().field).toBe('intent.files.0.path');
  });
});
