import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstBootAgent } from '../../shared/provisioning/first-boot-agent';
import { createMetadataService, type InstanceIdentity, type MetadataService } from './metadata-service';

/**
 * The real first-boot agent (the generated sh script, run by /bin/sh) against Kiln's real metadata
 * service: no stub on either side. hostnamectl, systemctl and cloud-init are recording shims, so
 * nothing on this machine changes; a small proxy can sit in between to inject a 503 or a goal change.
 */
let dir: string;
let service: MetadataService;
let ready: string[];
let failed: Array<[string, string]>;
let proxy: Server | undefined;

const identity = (over: Partial<InstanceIdentity> = {}): InstanceIdentity => ({
  instanceId: 'i-0a1b2c3d',
  hostname: 'web-7',
  serverGroup: 'shop-web-v003',
  account: 'local',
  region: 'local-1',
  userData: '#cloud-config\nhostname: web-7\n',
  ...over,
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-metadata-'));
  ready = [];
  failed = [];
  service = createMetadataService(
    (id) => ready.push(id),
    (id, reason) => failed.push([id, reason]),
  );
  await service.start();
  const shims = join(dir, 'shims');
  mkdirSync(shims);
  for (const cmd of ['systemctl', 'hostnamectl', 'hostname']) writeShim(cmd, `echo "${cmd} $*" >> "${join(dir, 'calls.log')}"`);
  writeShim('cloud-init', 'echo "status: done"');
});

afterEach(async () => {
  await service.stop();
  if (proxy) await new Promise<void>((resolve) => proxy!.close(() => resolve()));
  proxy = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function writeShim(cmd: string, body: string): void {
  writeFileSync(join(dir, 'shims', cmd), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, 'shims', cmd), 0o755);
}

/** A pass-through proxy; `intercept` may answer a request itself (return true) before it is forwarded. */
async function startProxy(target: string, intercept: (method: string, path: string, reply: (status: number) => void) => boolean): Promise<string> {
  const url = new URL(target);
  proxy = createServer((req, res) => {
    if (intercept(req.method ?? 'GET', req.url ?? '/', (status) => res.writeHead(status).end('injected'))) return req.resume();
    const upstream = request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${url.pathname}`;
}

function runAgent(env: Record<string, string>): Promise<{ code: number; out: string }> {
  const script = join(dir, 'kiln-report-ready');
  writeFileSync(script, firstBootAgent({ metadataUrl: 'http://127.0.0.1:9/baked/v1' }).script, { mode: 0o755 });
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      [script],
      {
        timeout: 30_000,
        env: {
          PATH: `${join(dir, 'shims')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
          KILN_STATE_DIR: join(dir, 'state'),
          KILN_RETRY_DELAY: '1',
          KILN_MAX_ATTEMPTS: '3',
          KILN_ROUTE_WAIT: '0',
          KILN_CMDLINE_FILE: join(dir, 'cmdline'),
          KILN_DMI_DIR: join(dir, 'dmi'),
          ...env,
        },
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : -1) : 0,
          out: `${stdout}${stderr}`,
        }),
    );
  });
}

const calls = () => (existsSync(join(dir, 'calls.log')) ? readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n') : []);
const done = () => existsSync(join(dir, 'state', 'report-ready.done'));

describe('the first-boot agent against Kiln metadata service', () => {
  it('reports Ready for its instance and sets the hostname the service names', async () => {
    const url = service.register(identity());
    const run = await runAgent({ KILN_METADATA_URL: url });
    expect(run.code, run.out).toBe(0);
    expect(ready).toEqual(['i-0a1b2c3d']);
    expect(calls()).toEqual(['hostnamectl set-hostname web-7', 'systemctl disable kiln-report-ready.service']);
    expect(done()).toBe(true);
  });

  it('retries a report answered 503 and then reports once', async () => {
    const url = service.register(identity());
    let busy = 1;
    const through = await startProxy(url, (method, path, reply) => {
      if (method === 'POST' && path.endsWith('/health') && busy-- > 0) return (reply(503), true);
      return false;
    });
    const run = await runAgent({ KILN_METADATA_URL: through });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/failed \(HTTP 503\); retrying in 1s/);
    expect(ready).toEqual(['i-0a1b2c3d']);
  });

  it('reports NotReady with the reason when cloud-init failed, and will try again next boot', async () => {
    writeShim('cloud-init', 'if [ "$2" = --long ]; then echo "status: error"; echo "detail: DataSourceNoCloud: user-data is not valid YAML"; fi\nexit 1');
    const url = service.register(identity());
    const run = await runAgent({ KILN_METADATA_URL: url });
    expect(run.code).toBe(1);
    expect(ready).toEqual([]);
    expect(failed).toEqual([['i-0a1b2c3d', 'cloud-init failed: DataSourceNoCloud: user-data is not valid YAML']]);
    expect(done()).toBe(false);
  });

  it('stops at once on 409 when the goal state changed under it (a stale report is never retried)', async () => {
    const me = identity();
    const url = service.register(me);
    let reports = 0;
    const through = await startProxy(url, (method, path) => {
      // The goal changes after the agent read it (its hostname request comes next).
      if (path.endsWith('/instance/hostname')) me.incarnation = 2;
      if (method === 'POST') reports += 1;
      return false;
    });
    const run = await runAgent({ KILN_METADATA_URL: through });
    expect(run.code, run.out).toBe(1);
    expect(run.out).toContain('HTTP 409');
    expect(reports).toBe(1);
    expect(ready).toEqual([]);
    expect(done()).toBe(false);
  });

  it('takes its URL from the kernel command line first, then from SMBIOS OEM strings, before the environment', async () => {
    const url = service.register(identity());
    writeFileSync(join(dir, 'cmdline'), `console=ttyS0 root=/dev/vda rw kiln.metadata=${url} quiet\n`);
    const viaCmdline = await runAgent({
      KILN_METADATA_URL: 'http://127.0.0.1:9/dead/v1',
    });
    expect(viaCmdline.out).toContain('metadata URL from the kernel command line');
    expect(viaCmdline.code, viaCmdline.out).toBe(0);

    rmSync(join(dir, 'state'), { recursive: true });
    rmSync(join(dir, 'cmdline'));
    const other = service.register(identity({ instanceId: 'i-smbios' }));
    // An SMBIOS type 11 structure as the kernel exposes it: a 5-byte header, then NUL-terminated strings.
    mkdirSync(join(dir, 'dmi', '11-0'), { recursive: true });
    writeFileSync(join(dir, 'dmi', '11-0', 'raw'), Buffer.concat([Buffer.from([11, 5, 0x0a, 0x00, 2]), Buffer.from(`io.other=1\0io.kiln.metadata=${other}\0\0`)]));
    const viaSmbios = await runAgent({
      KILN_METADATA_URL: 'http://127.0.0.1:9/dead/v1',
    });
    expect(viaSmbios.out).toContain('metadata URL from SMBIOS OEM strings');
    expect(viaSmbios.code, viaSmbios.out).toBe(0);
    expect(ready).toEqual(['i-0a1b2c3d', 'i-smbios']);
  });
});

describe('Kiln metadata service', () => {
  const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });
  const report = (url: string, body: unknown) =>
    fetch(`${url}/health`, {
      method: 'POST',
      headers: { Metadata: 'true', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const goal = {
    containerId: 'shop-web-v003',
    instanceId: 'i-0a1b2c3d',
    incarnation: 1,
  };

  it('refuses the goal-state calls without Metadata: true, naming the header', async () => {
    const url = service.register(identity());
    const res = await get(`${url}/goalstate`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'bad_request',
      field: 'Metadata',
    });
    expect(await (await get(`${url}/goalstate`, { Metadata: 'true' })).json()).toEqual(goal);
    expect(await (await get(`${url}/instance/hostname`, { Metadata: 'true' })).text()).toBe('web-7\n');
  });

  it('serves user data and meta-data for cloud-init NoCloud, and the Ignition config (404 without one)', async () => {
    const url = service.register(identity());
    expect(await (await get(`${url}/user-data`)).text()).toBe('#cloud-config\nhostname: web-7\n');
    expect(await (await get(`${url}/meta-data`)).text()).toBe('instance-id: i-0a1b2c3d\nlocal-hostname: web-7\n');
    expect((await get(`${url}/ignition`)).status).toBe(404);
    const flatcar = service.register(
      identity({
        instanceId: 'i-flatcar',
        ignition: '{"ignition":{"version":"3.4.0"}}',
      }),
    );
    expect(await (await get(`${flatcar}/ignition`)).json()).toEqual({
      ignition: { version: '3.4.0' },
    });
  });

  it('answers a report for another instance or a malformed one with 400 naming the field, and records nothing', async () => {
    const url = service.register(identity());
    service.register(identity({ instanceId: 'i-victim' }));
    const other = await report(url, {
      ...goal,
      instanceId: 'i-victim',
      state: 'Ready',
    });
    expect(other.status).toBe(400);
    expect(await other.json()).toMatchObject({ field: 'instanceId' });
    const noReason = await report(url, { ...goal, state: 'NotReady' });
    expect(await noReason.json()).toMatchObject({ field: 'reason' });
    const quoted = await report(url, {
      ...goal,
      state: 'NotReady',
      reason: 'a "quoted" reason',
    });
    expect(quoted.status).toBe(400);
    const huge = await report(url, {
      ...goal,
      state: 'Ready',
      pad: 'x'.repeat(20_000),
    });
    expect(huge.status).toBe(413);
    expect(ready).toEqual([]);
    expect(failed).toEqual([]);
  });

  it('keeps POST /ready for the sample apps and already-baked images, and forgets an unregistered instance', async () => {
    const url = service.register(identity());
    expect((await fetch(`${url}/ready`, { method: 'POST' })).status).toBe(204);
    expect(ready).toEqual(['i-0a1b2c3d']);
    service.unregister('i-0a1b2c3d');
    expect((await get(`${url}/user-data`)).status).toBe(404);
    expect((await get(url.replace(/[0-9a-f]{32}$/, '0'.repeat(32)) + '/user-data')).status).toBe(404);
  });
});

describe('the metadata service after a Kiln restart', () => {
  const overSocket = (socketPath: string, path: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ socketPath, path, headers: { Metadata: 'true' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it("answers an adopted instance's earlier URL on the account's socket, and no made-up token", async () => {
    const earlier = service.register(identity());
    await service.stop();
    // A new process: a new loopback port, but the same socket path and the same token.
    const socketPath = join(dir, 'metadata.sock');
    service = createMetadataService((id) => ready.push(id));
    await service.start({ socketPath });
    const url = service.register(identity(), earlier);
    expect(new URL(url).pathname).toBe(new URL(earlier).pathname);
    const goal = await overSocket(socketPath, `${new URL(earlier).pathname}/goalstate`);
    expect(goal.status).toBe(200);
    expect(JSON.parse(goal.body)).toMatchObject({ instanceId: 'i-0a1b2c3d' });
    expect((await overSocket(socketPath, `/v1/${'0'.repeat(32)}/goalstate`)).status).toBe(404);
    // Only a token this service's own shape gives out is taken back; anything else gets a fresh one.
    expect(new URL(service.register(identity({ instanceId: 'i-other' }), 'http://127.0.0.1:1/v1/../../x')).pathname).toMatch(/^\/v1\/[0-9a-f]{32}$/);
  });
});
