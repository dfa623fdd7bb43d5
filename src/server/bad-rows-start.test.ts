import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../shared/domain/pipeline';
import { Health } from '../shared/api/system';
import { createDatabase } from '../db/client';
import { migrate } from '../db/migrate';
import { createRepositories } from '../db/repositories';
import { createOwners } from '../db/test-builders';
import { signInToKiln, TEST_SETUP_TOKEN } from '../engine/test-sign-in';
import { freePort } from '../engine/free-port';
import { stopChildren } from '../engine/test-children';

// The real `npm start` entry point on a data directory holding rows that do not parse: before,
// Kiln exited at start (and took the load balancers with it); now it starts and says what it left out.
const root = resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await stopChildren(children);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}, 30_000);

function kiln(dataDir: string, port: number, extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    env: { ...process.env, KILN_DATA: dataDir, PORT: String(port), KILN_DASHBOARD: 'off', KILN_DEMO: 'false', LOG_LEVEL: 'error', KILN_SETUP_TOKEN: TEST_SETUP_TOKEN, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return { child, output: () => output };
}

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

describe('Kiln starting on rows that do not parse', { timeout: 120_000 }, () => {
  it('starts, reports health degraded naming each row, logs each once, and serves the rest', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiln-bad-rows-'));
    dirs.push(dataDir);
    const db = await createDatabase({ dataDir: join(dataDir, 'pglite') });
    await migrate(db);
    const repos = createRepositories(db);
    await createOwners(repos);
    for (const [name, n] of [
      ['shop', 1],
      ['broken', 2],
    ] as const) {
      await repos.images.create({ name, build: { builder: 'bundle', tools: {}, packages: [] }, digest: digest(n), sizeBytes: 1, format: 'bundle', artifact: `${n}.tar.zst` }, 'ci');
    }
    const stages = [{ refId: 'w', type: 'wait', name: 'Wait', config: { seconds: 1 } }];
    await repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'Fine', stages }), 'ana');
    const bad = await repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'Bad', stages }), 'ana');
    // What the 65-character gitCommit bake left behind, and a hand-edited pipeline.
    await db.exec(`
      update images set build = jsonb_set(build, '{git}', '{"commit": "${'a'.repeat(65)}"}') where name = 'broken';
      update pipelines set config = jsonb_set(config, '{stages}', '"oops"') where name = 'Bad';
    `);
    await db.close();

    const port = await freePort();
    const { child, output } = kiln(dataDir, port);
    let health: Health | undefined;
    for (let i = 0; i < 600 && !health && child.exitCode === null; i += 1) {
      health = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        async (r) => Health.parse(await r.json()),
        () => undefined,
      );
      if (!health) await new Promise((r) => setTimeout(r, 100));
    }
    expect(child.exitCode, output()).toBeNull();
    // Anyone (a load balancer's probe) sees that Kiln is degraded, not which rows.
    expect(health).toMatchObject({ status: 'degraded', quarantinedCount: 2, quarantined: [] });
    expect(output().match(/quarantined images row broken:v1/g)).toHaveLength(1);
    expect(output()).toContain('2 stored row(s) do not parse and are quarantined');

    const token = await signInToKiln(`http://127.0.0.1:${port}`);
    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const detail = Health.parse(await (await get('/api/health')).json());
    expect(detail.quarantined.map((q) => `${q.table} ${q.key}`)).toEqual(['images broken:v1', `pipelines ${bad.id}`]);
    const images = await get('/api/images');
    expect(images.status).toBe(200);
    expect(((await images.json()) as Array<{ name: string }>).map((i) => i.name)).toEqual(['shop']);
    expect(((await (await get('/api/applications/web/pipelines')).json()) as Array<{ name: string }>).map((p) => p.name)).toEqual(['Fine']);
  });

  it('refuses a wrong KILN_OUTBOUND_ALLOW at start, naming the variable (exit 2)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiln-bad-allow-'));
    dirs.push(dataDir);
    const { child, output } = kiln(dataDir, await freePort(), { KILN_OUTBOUND_ALLOW: 'hooks.internal, 10.0.0.0/33' });
    const code = await new Promise((ok) => child.once('exit', ok));
    expect(code).toBe(2);
    expect(output()).toMatch(/^kiln: KILN_OUTBOUND_ALLOW is a comma-separated list .*'10\.0\.0\.0\/33' has an invalid prefix length/m);
  });
});
