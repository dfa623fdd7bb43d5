import { existsSync, readdirSync, statSync } from 'node:fs';
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
export async function ensureSpaBuilt(root: string, log: (line: string) => void): Promise<string> {
  const dist = join(root, 'dist');
  const index = join(dist, 'index.html');
  const sources = ['index.html', 'src/web', 'src/shared', 'public', 'vite.config.ts'].map((p) => join(root, p));
  const sourceTime = Math.max(...sources.filter((p) => existsSync(p)).map(newestMtime));
  if (existsSync(index) && statSync(index).mtimeMs >= sourceTime) return dist;

  log(existsSync(index) ? 'Dashboard sources changed; rebuilding…' : 'Building the dashboard (first start)…');
  // Vite is loaded only when a build is needed, so a normal start does not pay for it.
  const { build } = await import('vite');
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  return dist;
}
