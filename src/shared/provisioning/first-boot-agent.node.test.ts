import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIRST_BOOT_UNIT, firstBootAgent } from './first-boot-agent';
import { GoalState, HealthReport, METADATA_PATHS } from './metadata-protocol';

/**
 * Runs the generated script for real, under `sh` (dash here), against a metadata server on
 * 127.0.0.1. systemctl, hostnamectl and hostname are shims that only record their arguments, the
 * state directory is a temp dir, so nothing on this machine changes.
 */
const BASE = '/metadata/v1';
const GOAL: GoalState = { containerId: 'c-7b324f53', instanceId: 'i-fbb84507abc', incarnation: 3 };

interface Seen {
  method: string;
  url: string;
  metadataHeader: string | undefined;
  body: string;
}

let dir: string;
let server: Server;
let seen: Seen[];
let healthFailuresLeft: number;
let goalStateBody: string;

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-first-boot-'));
  seen = [];
  healthFailuresLeft = 1;
  goalStateBody = JSON.stringify(GOAL);
  server = createServer((req, res) => {
    void body(req).then((text) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', metadataHeader: req.headers['metadata'] as string | undefined, body: text });
      if (req.headers['metadata'] !== 'true') return res.writeHead(400).end('Metadata: true required');
      if (req.method === 'GET' && req.url === BASE + METADATA_PATHS.goalState) return res.writeHead(200).end(goalStateBody);
      if (req.method === 'GET' && req.url === BASE + METADATA_PATHS.hostname) return res.writeHead(200).end('web-7\n');
      if (req.method === 'POST' && req.url === BASE + METADATA_PATHS.health) {
        if (healthFailuresLeft-- > 0) return res.writeHead(503).end('busy');
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      }
      return res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** A directory of recording shims, plus (for the wget run) only the tools the script may use. */
function makePath(client: 'curl' | 'wget'): string {
  const shims = join(dir, 'shims');
  mkdirSync(shims, { recursive: true });
  for (const cmd of ['systemctl', 'hostnamectl', 'hostname']) {
    writeFileSync(join(shims, cmd), `#!/bin/sh\necho "${cmd} $*" >> "${join(dir, 'calls.log')}"\n`);
    chmodSync(join(shims, cmd), 0o755);
  }
  // This machine may have cloud-init (never run): the shim says it finished.
  writeFileSync(join(shims, 'cloud-init'), '#!/bin/sh\necho "status: done"\n');
  chmodSync(join(shims, 'cloud-init'), 0o755);
  if (client === 'curl') return `${shims}:${process.env['PATH'] ?? '/usr/bin:/bin'}`;
  // No curl anywhere on this PATH: the script must detect and use wget.
  const tools = join(dir, 'tools');
  if (existsSync(tools)) return `${shims}:${tools}`;
  mkdirSync(tools);
  for (const tool of ['wget', 'sed', 'head', 'tail', 'tr', 'cut', 'grep', 'mkdir', 'touch', 'sleep', 'cat']) {
    for (const prefix of ['/usr/bin', '/bin']) {
      if (existsSync(join(prefix, tool))) {
        symlinkSync(join(prefix, tool), join(tools, tool));
        break;
      }
    }
  }
  return `${shims}:${tools}`;
}

function runAgent(client: 'curl' | 'wget', env: Record<string, string> = {}): Promise<{ code: number; stdout: string; seconds: number }> {
  const port = (server.address() as AddressInfo).port;
  const agent = firstBootAgent({ metadataUrl: `http://127.0.0.1:${port}${BASE}` });
  const script = join(dir, 'kiln-report-ready');
  writeFileSync(script, agent.script, { mode: 0o755 });
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      [script],
      {
        timeout: 20_000,
        env: {
          PATH: makePath(client),
          KILN_STATE_DIR: join(dir, 'state'),
          KILN_RETRY_DELAY: '1',
          KILN_MAX_ATTEMPTS: '3',
          KILN_HOSTNAME_FILE: join(dir, 'hostname'),
          // This machine's own kernel command line and SMBIOS must not choose the URL.
          KILN_CMDLINE_FILE: join(dir, 'no-cmdline'),
          KILN_DMI_DIR: join(dir, 'no-dmi'),
          KILN_ROUTE_WAIT: '0',
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout: `${stdout}${stderr}`, seconds: (Date.now() - started) / 1000 });
      },
    );
  });
}

const calls = () => (existsSync(join(dir, 'calls.log')) ? readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n') : []);

describe('the first-boot agent, run under sh against a metadata server', () => {
  for (const client of ['curl', 'wget'] as const) {
    it(`with ${client}: fetches the goal state, sets the hostname, reports Ready after a 503, then stops for good`, async () => {
      const first = await runAgent(client);
      expect(first.stdout).toContain(`kiln-report-ready: using ${client}`);
      expect(first.code, first.stdout).toBe(0);

      expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([`GET ${BASE}/goalstate`, `GET ${BASE}/instance/hostname`, `POST ${BASE}/health`, `POST ${BASE}/health`]);
      expect(seen.every((s) => s.metadataHeader === 'true')).toBe(true);
      const reports = seen.filter((s) => s.method === 'POST').map((s) => HealthReport.parse(JSON.parse(s.body)));
      expect(reports[1]).toEqual({ ...GOAL, state: 'Ready' });

      // One back-off sleep of KILN_RETRY_DELAY=1 s between the 503 and the retry.
      expect(first.stdout).toContain('reporting Ready to');
      expect(first.stdout).toMatch(/failed \(HTTP 503\); retrying in 1s/);
      expect(first.seconds).toBeGreaterThanOrEqual(1);
      expect(first.stdout).toContain(`InstanceId: ${GOAL.instanceId}`);
      expect(existsSync(join(dir, 'state', 'report-ready.done'))).toBe(true);
      expect(calls()).toEqual(['hostnamectl set-hostname web-7', `systemctl disable ${FIRST_BOOT_UNIT}`]);

      const second = await runAgent(client);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain('already reported ready');
      expect(seen).toHaveLength(4);
      expect(calls()).toHaveLength(2);
    });
  }

  it('reads an Azure-style XML goal state as well', async () => {
    goalStateBody = `<?xml version="1.0" encoding="utf-8"?>
<GoalState>
  <Incarnation>1</Incarnation>
  <Container>
    <ContainerId>7b324f53-983a-43bc-b919-1775d6077608</ContainerId>
    <RoleInstanceList>
      <RoleInstance>
        <InstanceId>fbb84507-46cd-4f4e-bd78-a2edaa9d059b._thstringnopa2</InstanceId>
      </RoleInstance>
    </RoleInstanceList>
  </Container>
</GoalState>`;
    healthFailuresLeft = 0;
    const run = await runAgent('curl');
    expect(run.code, run.stdout).toBe(0);
    expect(HealthReport.parse(JSON.parse(seen.at(-1)?.body ?? ''))).toEqual({
      containerId: '7b324f53-983a-43bc-b919-1775d6077608',
      instanceId: 'fbb84507-46cd-4f4e-bd78-a2edaa9d059b._thstringnopa2',
      incarnation: 1,
      state: 'Ready',
    });
  });

  it('gives up after the bounded number of attempts and leaves no done-marker, so the next boot retries', async () => {
    healthFailuresLeft = 99;
    const run = await runAgent('curl', { KILN_RETRY_DELAY: '0', KILN_MAX_ATTEMPTS: '2' });
    expect(run.code).toBe(1);
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(2);
    expect(run.stdout).toContain('failed after 2 attempts');
    expect(existsSync(join(dir, 'state', 'report-ready.done'))).toBe(false);
    expect(calls()).toEqual(['hostnamectl set-hostname web-7']);
  });

  it('refuses a goal state whose ids would break out of the report', async () => {
    goalStateBody = '{"containerId":"c\\"1","instanceId":"i-1","incarnation":1}';
    const run = await runAgent('curl');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('lacks a valid containerId or instanceId');
    expect(seen.some((s) => s.method === 'POST')).toBe(false);
  });
});
