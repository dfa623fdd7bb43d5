import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestApp } from '../../server/test-app';
import { startFakeDockerEngine } from '../../engine/cloud/fake-docker-engine';
import { runKiln } from '../test-cli';
import { EXIT } from '../io';

let app: FastifyInstance;
let close: () => Promise<void>;
let url: string;
let token: string;
let engine: Awaited<ReturnType<typeof startFakeDockerEngine>>;
const home = mkdtempSync(join(tmpdir(), 'kiln-cli-accounts-'));

beforeAll(async () => {
  ({ app, close, token } = await openTestApp());
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  engine = await startFakeDockerEngine();
}, 60_000);
afterAll(async () => {
  await engine.close();
  await close();
});

const kiln = (args: string[]) => runKiln(args, { HOME: home, KILN_URL: url, KILN_TOKEN: token });

describe('kiln account', () => {
  it('adds a docker account, lists it, shows its health, and removes it', async () => {
    const add = await kiln([
      'account',
      'add',
      'lab',
      '--provider',
      'docker',
      '--docker-host',
      engine.dockerHost,
      '--region',
      'local',
      '--region',
      'local-west',
      '--environment',
      'test',
    ]);
    expect(add).toMatchObject({ code: EXIT.ok, out: 'Added docker account lab (test; regions local, local-west).\n' });
    const list = await kiln(['account', 'list']);
    expect(list.out).toMatch(/lab\s+docker\s+test\s+local,local-west\s+enabled\s+unix:\/\//);
    const get = await kiln(['account', 'get', 'lab']);
    expect(get.out).toContain('Health:       reachable, engine Podman Engine 5.4.2 (API 1.41)');
    expect(get.out).toContain('Credentials:  none');
    const asJson = JSON.parse((await kiln(['account', 'get', 'lab', '--json'])).out);
    expect(asJson).toMatchObject({ name: 'lab', health: { status: 'reachable' } });
    expect((await kiln(['account', 'disable', 'lab'])).out).toBe('Account lab is disabled.\n');
    expect(await kiln(['account', 'remove', 'lab'])).toMatchObject({ code: EXIT.ok, out: 'Removed account lab.\n' });
    expect((await kiln(['account', 'list'])).out).not.toContain('lab');
  });

  it('shows why a local account is unreachable when this Kiln has no local cloud', async () => {
    expect((await kiln(['account', 'get', 'prod'])).out).toContain('Health:       unreachable: this Kiln runs without its local cloud');
  });

  it("exits 1 with the server's reason when an account cannot be added or removed", async () => {
    const gone = await kiln(['account', 'add', 'gone', '--provider', 'docker', '--docker-host', 'unix:///nonexistent/kiln.sock', '--region', 'local']);
    expect(gone.code).toBe(EXIT.failed);
    expect(gone.err).toContain('unreachable: no socket at unix:///nonexistent/kiln.sock');
    const busy = await kiln(['account', 'remove', 'prod']);
    expect(busy.code).toBe(EXIT.failed);
    expect(busy.err).toContain('east/web-prod-v002');
  });

  it('exits 2 on bad usage before asking the server', async () => {
    expect(await kiln(['account', 'add', 'x', '--region', 'local'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('--provider is required') });
    expect(await kiln(['account', 'add', 'x', '--provider', 'aws', '--region', 'local'])).toMatchObject({
      code: EXIT.usage,
      err: expect.stringContaining('--provider must be local, docker, qemu or kubernetes'),
    });
    expect(await kiln(['account', 'add', 'x', '--provider', 'local'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('--region is required') });
    expect(await kiln(['account', 'add', 'x', '--provider', 'local', '--region', 'r', '--environment', 'live'])).toMatchObject({ code: EXIT.usage });
    expect(await kiln(['account', 'get'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('expected NAME') });
  });
});
