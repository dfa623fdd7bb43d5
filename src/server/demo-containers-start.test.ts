import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../db/client';
import { migrate } from '../db/migrate';
import { createRepositories } from '../db/repositories';
import { createOwners } from '../db/test-builders';
import { freePort } from '../engine/free-port';
import { stopChildren } from '../engine/test-children';
import { TEST_SETUP_TOKEN } from '../engine/test-sign-in';

// The real entry point with the demo on (the default) and a container engine socket that is there
// but whose engine does not answer: Kiln must start and serve at once, not after the probe.
const root = resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await stopChildren(children);
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}, 30_000);

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 150_000) => {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
};

describe('Kiln starting beside a container engine socket whose engine does not answer', { timeout: 400_000 }, () => {
  it('serves before the probe of that socket ends, then says the engine did not answer and adds no account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-demo-socket-'));
    dirs.push(dir);
    // A database in use (not empty): no demo project is seeded and no first release runs, but the demo is on.
    const dataDir = join(dir, 'data');
    const db = await createDatabase({ dataDir: join(dataDir, 'pglite') });
    await migrate(db);
    await createOwners(createRepositories(db));
    await db.close();

    // Rootless Podman's place. The "engine" answers /_ping a byte every half second and never finishes: the
    // probe's idle timeout never fires, so it lasts exactly as long as this test wants.
    const xdg = join(dir, 'xdg');
    mkdirSync(join(xdg, 'podman'), { recursive: true });
    const trickling = new Set<ServerResponse>();
    const engine = createHttpServer((_req, res) => {
      trickling.add(res);
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('.');
      const timer = setInterval(() => res.write('.'), 500);
      res.on('close', () => (clearInterval(timer), trickling.delete(res)));
    });
    await new Promise<void>((ok) => engine.listen(join(xdg, 'podman', 'podman.sock'), ok));

    try {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        KILN_DATA: dataDir,
        PORT: String(port),
        KILN_DASHBOARD: 'off',
        LOG_LEVEL: 'error',
        KILN_SETUP_TOKEN: TEST_SETUP_TOKEN,
        XDG_RUNTIME_DIR: xdg,
      };
      for (const name of ['DATABASE_URL', 'DOCKER_HOST', 'KILN_DEMO', 'KILN_DEMO_CONTAINERS']) delete env[name];
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let output = '';
      child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (output += c.toString()));

      await until('the probe to reach the socket', () => trickling.size > 0 || child.exitCode !== null).catch((err: Error) => {
        throw new Error(`${err.message}; Kiln said:\n${output}`);
      });
      await until(
        'Kiln to serve',
        async () =>
          child.exitCode !== null ||
          (await fetch(`http://127.0.0.1:${port}/api/health`).then(
            (r) => r.ok,
            () => false,
          )),
      );
      expect(child.exitCode, output).toBeNull();
      expect(output).toMatch(/Kiln \S+ is running at http:\/\/127\.0\.0\.1:\d+/);
      // Kiln is up while the probe is still waiting on the engine.
      expect(trickling.size).toBe(1);
      expect(output).not.toContain('Demo: ');

      for (const res of trickling) res.destroy();
      await until('the start log to say why there is no containers environment', () => output.includes('Demo: the container engine socket found did not answer'));
      expect(output).toContain(`so there is no 'containers' environment (unix://${xdg}/podman/podman.sock: `);
      expect((await fetch(`http://127.0.0.1:${port}/api/health`)).ok).toBe(true);
    } finally {
      for (const res of trickling) res.destroy();
      engine.close();
    }
  });
});
