import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, sep } from 'node:path';
import { FILES_DIR_ESCAPE, type FilesDirNode } from '../shared/provisioning/butane-trees';
import type { FilesDirAccess } from '../shared/provisioning/files-dir';

const nodeOf = (st: Stats, target?: string): FilesDirNode => ({
  type: st.isFile() ? 'file' : st.isDirectory() ? 'directory' : st.isSymbolicLink() ? 'symlink' : 'other',
  mode: st.mode & 0o7777,
  ...(target !== undefined ? { target } : {}),
});

/**
 * A files directory on this machine (`--files-dir`), sandboxed: every name is resolved to its real
 * location first, and one outside the directory (through a symlink anywhere on the way) is refused
 * as Butane refuses `../`. lstat never follows the last name: a link in a tree stays a link.
 */
export function diskFilesDir(dir: string): FilesDirAccess {
  const root = realpathSync(dir);
  const real = (path: string): string | undefined => {
    let resolved: string;
    try {
      resolved = realpathSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    if (resolved !== root && !resolved.startsWith(root + sep)) throw new Error(FILES_DIR_ESCAPE);
    return resolved;
  };
  return {
    filesDir: root,
    readFile: (path) => {
      const r = real(path);
      return r === undefined ? undefined : readFileSync(r);
    },
    walker: {
      stat: (path) => {
        const r = real(path);
        return r === undefined ? undefined : nodeOf(statSync(r));
      },
      lstat: (path) => {
        const parent = real(dirname(path));
        if (parent === undefined) return undefined;
        const at = `${parent}/${path.slice(dirname(path).length + 1)}`;
        let st: Stats;
        try {
          st = lstatSync(at);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
          throw e;
        }
        return nodeOf(st, st.isSymbolicLink() ? readlinkSync(at) : undefined);
      },
      readDir: (path) => {
        const r = real(path);
        return r === undefined ? [] : readdirSync(r);
      },
    },
  };
}
