import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Newest modification time below dir, so a stale dist/ is rebuilt after a pull. */
function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Builds the SPA into dist/ when it is missing or older than its sources; returns the dist path. */
export function ensureSpaBuilt(root: string, log: (line: string) => void): string {
  const dist = join(root, 'dist');
  const index = join(dist, 'index.html');
  const sources = ['index.html', 'src/web', 'src/shared', 'public', 'vite.config.ts'].map((p) => join(root, p));
  const sourceTime = Math.max(...sources.filter((p) => existsSync(p)).map(newestMtime));
  if (existsSync(index) && statSync(index).mtimeMs >= sourceTime) return dist;

  log(existsSync(index) ? 'Dashboard sources changed; rebuilding…' : 'Building the dashboard (first start)…');
  const vite = createRequire(join(root, 'package.json')).resolve('vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status ?? result.signal})`);
  return dist;
}
