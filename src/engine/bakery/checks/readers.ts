import { execFile } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { insideRoot } from '../image-root';
import { requireTool } from '../tools';
import type { ImageReader } from './check';

const run = promisify(execFile);

export function directoryReader(root: string): ImageReader {
  const at = (p: string) => insideRoot(root, p, 'test');
  return {
    // lstat: a dangling symlink (an enabled unit's wants link) still exists in the image.
    exists: async (p) => {
      try {
        lstatSync(at(p));
        return true;
      } catch {
        return false;
      }
    },
    read: async (p) => (existsSync(at(p)) ? readFileSync(at(p), 'utf8') : undefined),
  };
}

/** Reads an ext filesystem image without mounting it: `debugfs -R 'stat …'` and `'cat …'`. */
export function debugfsReader(image: string): ImageReader {
  const debugfs = requireTool('debugfs');
  const request = async (command: string) => {
    const { stdout, stderr } = await run(debugfs, ['-R', command, image], { maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr };
  };
  const quoted = (p: string) => `"${(p.startsWith('/') ? p : `/${p}`).replace(/"/g, '\\"')}"`;
  return {
    async exists(p) {
      const { stdout, stderr } = await request(`stat ${quoted(p)}`);
      return /Inode:\s+\d+/.test(stdout) && !/File not found/.test(stderr);
    },
    async read(p) {
      if (!(await this.exists(p))) return undefined;
      return (await request(`cat ${quoted(p)}`)).stdout;
    },
  };
}
