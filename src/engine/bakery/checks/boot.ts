import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insideRoot } from '../image-root';
import { defineCheck } from './check';
import { freePort } from '../../free-port';

const BOOT_TIMEOUT_MS = 15_000;

/**
 * Boots a bundle the way the local cloud does: `node <entrypoint>` with PORT on a free loopback
 * port and nothing of Kiln's environment, then expects a 2xx from the health path.
 */
export const bootCheck = defineCheck({
  name: 'boot',
  applies: (image) => image.format === 'bundle' && image.recipe.tests.boot && image.recipe.run !== undefined && image.root !== undefined,
  async run({ recipe, root, log }) {
    const run = recipe.run!;
    const entrypoint = insideRoot(root!, run.entrypoint, 'test: boot');
    if (!existsSync(entrypoint)) return `entrypoint ${run.entrypoint} is not in the image`;
    const port = await freePort();
    const home = mkdtempSync(join(tmpdir(), 'kiln-boot-'));
    const child = spawn(process.execPath, [entrypoint], {
      cwd: home,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        PORT: String(port),
        HOST: '127.0.0.1',
        KILN_INSTANCE_ID: 'i-boottest',
        KILN_IMAGE_NAME: recipe.image ?? recipe.name,
        KILN_IMAGE_VERSION: 'test',
      },
    });
    const output: string[] = [];
    const collect = (c: Buffer) => {
      for (const line of c.toString().split('\n').filter(Boolean)) {
        output.push(line);
        log.event('test: boot', 'output', line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    let exited: string | undefined;
    child.on('exit', (code, signal) => (exited = code === null ? `killed by ${signal}` : `exit code ${code}`));
    const url = `http://127.0.0.1:${port}${run.healthPath}`;
    const deadline = Date.now() + BOOT_TIMEOUT_MS;
    let last = 'no answer';
    try {
      while (Date.now() < deadline) {
        if (exited) return `the entrypoint stopped before answering (${exited})${output.length ? `: ${output.slice(-3).join(' | ')}` : ''}`;
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
          if (res.ok) {
            log.say('test: boot', `GET ${run.healthPath} answered ${res.status}`);
            return undefined;
          }
          last = `HTTP ${res.status}`;
        } catch (err) {
          last = (err as Error).message;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      return `GET ${run.healthPath} gave no 2xx within ${BOOT_TIMEOUT_MS / 1000} s (last: ${last})`;
    } finally {
      child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
    }
  },
});
