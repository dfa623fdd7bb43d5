import { cpSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
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
  // Built beside dist/ and swapped in at the end: another Kiln serving dist/ from this checkout
  // never sees a half-written or emptied directory (Vite empties its outDir first).
  const fresh = `${dist}.building-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  await build({ root, configFile: join(root, 'vite.config.ts'), logLevel: 'warn', mode: 'production', build: { outDir: fresh, emptyOutDir: true } });
  swapIn(fresh, dist);
  return dist;
}

/** How long a replaced build's chunks are kept: a tab open longer than this reloads to get the new ones. */
export const OLD_CHUNKS_KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * Puts a finished build in place of dist/. Chunks of the build it replaces stay for a day, with
 * their own times (so they age out across rebuilds): a page loaded before the swap still
 * lazy-loads the chunks it names, and dist/assets does not grow with every rebuild.
 */
export function swapIn(fresh: string, dist: string, now = Date.now()): void {
  const assets = join(dist, 'assets');
  if (existsSync(assets))
    cpSync(assets, join(fresh, 'assets'), {
      recursive: true,
      force: false,
      errorOnExist: false,
      preserveTimestamps: true,
      filter: (src) => src === assets || now - statSync(src).mtimeMs < OLD_CHUNKS_KEPT_MS,
    });
  const old = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(fresh, dist);
  rmSync(old, { recursive: true, force: true });
}
