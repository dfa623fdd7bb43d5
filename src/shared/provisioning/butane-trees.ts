import type { PathPart } from './diagnostic';
import type { Reporter } from './butane-schema';
import { makeDataUrl, utf8 } from './data-url';
import { cleanPath } from './ignition-checks';
import { prune } from './storage-devices';
import { errorMessage } from '../error-message';

/** One name in a files directory as lstat/stat see it: a symlink's target is its text, never followed by lstat. */
export interface FilesDirNode {
  type: 'file' | 'directory' | 'symlink' | 'other';
  mode: number;
  target?: string;
}

/**
 * What `storage.trees` needs of the files directory besides reading files: `stat` (follows links,
 * for the tree's root), `lstat` (does not: a link in a tree becomes an Ignition link) and `readDir`.
 * Injected, so this module stays free of node:fs: on disk (files-dir.node.ts, which refuses any path
 * whose real location leaves the directory) or uploaded with an API request (files-dir.ts).
 * Each returns undefined for a name that does not exist and throws with the reason otherwise.
 */
export interface FilesDirWalker {
  stat(path: string): FilesDirNode | undefined;
  lstat(path: string): FilesDirNode | undefined;
  readDir(path: string): string[];
}

export interface TreeOptions {
  filesDir?: string | undefined;
  readFile?: ((path: string) => string | Uint8Array | undefined) | undefined;
  walker?: FilesDirWalker | undefined;
}

type Owner = { id?: number; name?: string };
type Resource = { compression?: string; source?: string };
export type TreeFile = { group?: Owner; overwrite?: boolean; path: string; user?: Owner; append?: Resource[]; contents?: Resource; mode?: number };
export type TreeLink = { group?: Owner; overwrite?: boolean; path: string; user?: Owner; hard?: boolean; target?: string };

// Butane's own words (config/common/errors.go), so a diagnostic reads as `butane` prints it.
const NO_FILES_DIR = 'local file paths are relative to a files directory that must be specified with -d/--files-dir';
export const FILES_DIR_ESCAPE = 'local file path traverses outside the files directory';
const NODE_EXISTS = 'matching filesystem node has existing contents or different type';
const FILE_TYPE = 'trees may only contain files, directories, and symlinks';
const NOT_DIRECTORY = 'root of tree must be a directory';

/**
 * Expands `storage.trees` as Butane does (base/v0_4 processTrees): every regular file under
 * `files-dir/local` becomes a file at `path` (default `/`) plus its relative path, 0755 when any
 * execute bit is set, else 0644, unless the config already gave a mode; every symlink a link with
 * the same target; directories themselves are not written. A file or link the config declared
 * without contents (or target) is filled in place; any other existing node at the path is an error.
 * Files are walked in lexical order, appended after the config's own, as filepath.Walk yields them.
 */
export function expandTrees(
  trees: Array<{ local?: string; path?: string }> | undefined,
  nodes: { files: TreeFile[]; directories: Array<{ path: string }>; links: TreeLink[] },
  options: TreeOptions,
  report: Reporter,
): void {
  if (!trees || trees.length === 0) return;
  const { files, directories, links } = nodes;
  for (const [i, tree] of trees.entries()) {
    const at: PathPart[] = ['storage', 'trees', i];
    if (!tree.local) {
      report.error([...at, 'local'], 'local is required');
      continue;
    }
    if (tree.path !== undefined && tree.path !== '' && !tree.path.startsWith('/')) {
      report.error([...at, 'path'], 'path not absolute');
      continue;
    }
    if (!options.filesDir || !options.readFile || !options.walker) {
      report.error(at, NO_FILES_DIR);
      return;
    }
    const base = cleanPath(options.filesDir);
    const root = cleanPath(`${base}/${tree.local}`);
    if (root !== base && !root.startsWith(base === '/' ? '/' : `${base}/`)) {
      report.error(at, FILES_DIR_ESCAPE);
      continue;
    }
    const { walker, readFile } = options;
    const fail = (e: unknown) => report.error(at, errorMessage(e));
    let top: FilesDirNode | undefined;
    try {
      top = walker.stat(root);
    } catch (e) {
      fail(e);
      continue;
    }
    if (!top) {
      report.error(at, `stat ${root}: no such file or directory`);
      continue;
    }
    if (top.type !== 'directory') {
      report.error(at, NOT_DIRECTORY);
      continue;
    }
    const destBase = tree.path || '/';
    const exists = (p: string) => files.some((f) => f.path === p) || directories.some((d) => d.path === p) || links.some((l) => l.path === p);
    const visit = (src: string, rel: string, node: FilesDirNode): void => {
      const dest = cleanPath(`${destBase}/${rel}`);
      if (node.type === 'directory') {
        let names: string[];
        try {
          names = walker.readDir(src);
        } catch (e) {
          fail(e);
          return;
        }
        for (const name of [...names].sort()) {
          const child = `${src}/${name}`;
          let childNode: FilesDirNode | undefined;
          try {
            childNode = walker.lstat(child);
          } catch (e) {
            fail(e);
            continue;
          }
          if (childNode) visit(child, rel ? `${rel}/${name}` : name, childNode);
        }
      } else if (node.type === 'file') {
        let index = files.findIndex((f) => f.path === dest);
        if (index >= 0 ? files[index]!.contents?.source : exists(dest)) {
          report.error(at, NODE_EXISTS);
          return;
        }
        let bytes: string | Uint8Array | undefined;
        try {
          bytes = readFile(src);
        } catch (e) {
          fail(e);
          return;
        }
        if (bytes === undefined) {
          report.error(at, `open ${src}: no such file or directory`);
          return;
        }
        if (index < 0) index = files.push({ path: dest }) - 1;
        const f = files[index]!;
        const contents = makeDataUrl(typeof bytes === 'string' ? utf8(bytes) : bytes, f.contents?.compression || undefined);
        const mode = f.mode ?? (node.mode & 0o111 ? 0o755 : 0o644);
        // Rebuilt in Ignition's field order, so the JSON matches Butane's byte for byte.
        files[index] = prune({ group: f.group, overwrite: f.overwrite, path: f.path, user: f.user, append: f.append, contents, mode })!;
      } else if (node.type === 'symlink') {
        let index = links.findIndex((l) => l.path === dest);
        if (index >= 0 ? links[index]!.target : exists(dest)) {
          report.error(at, NODE_EXISTS);
          return;
        }
        if (index < 0) index = links.push({ path: dest }) - 1;
        const l = links[index]!;
        links[index] = prune({ group: l.group, overwrite: l.overwrite, path: l.path, user: l.user, hard: l.hard, target: node.target ?? '' })!;
      } else {
        report.error(at, FILE_TYPE);
      }
    };
    visit(root, '', top);
  }
}
