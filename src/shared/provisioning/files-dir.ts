import { z } from 'zod';
import type { FilesDirNode, FilesDirWalker } from './butane-trees';
import { cleanPath } from './ignition-checks';
import { toBase64, utf8 } from './data-url';

/**
 * One name of a Butane files directory sent with a translate request (`kiln butane translate
 * --files-dir` uploads the names the translation reads): the server never reads its own disk for a
 * caller. Paths are relative to the directory and cannot climb out of it.
 */
export const FilesDirEntry = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(1024, 'path must be at most 1024 characters')
    .refine((p) => !p.startsWith('/') && !p.includes('\0') && !p.split('/').includes('..'), "path must be relative to the files directory, without '..'"),
  type: z.enum(['file', 'directory', 'symlink']),
  mode: z.number().int().min(0).max(0o7777).default(0o644),
  /** A file's bytes (or what reading a symlink gives), base64. */
  contents: z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'contents must be base64')
    .optional(),
  /** A symlink's target, as readlink gives it. */
  target: z.string().max(4096).optional(),
});
export type FilesDirEntry = z.infer<typeof FilesDirEntry>;
export type FilesDirEntryInput = z.input<typeof FilesDirEntry>;

/** The uploaded directory's root as the translator sees it; any absolute path would do, it names nothing on disk. */
export const UPLOADED_FILES_DIR = '/files-dir';

export interface FilesDirAccess {
  filesDir: string;
  readFile: (path: string) => string | Uint8Array | undefined;
  walker: FilesDirWalker;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    value = (value << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** A files directory made of uploaded entries; a directory an entry lies in exists even when not listed itself. */
export function uploadedFilesDir(entries: readonly FilesDirEntry[]): FilesDirAccess {
  const byPath = new Map<string, FilesDirEntry>();
  const children = new Map<string, Set<string>>();
  for (const e of entries) {
    const rel = cleanPath(e.path);
    byPath.set(rel, e);
    const parts = rel.split('/');
    for (let i = 0; i < parts.length; i += 1) {
      const dir = parts.slice(0, i).join('/');
      if (!children.has(dir)) children.set(dir, new Set());
      children.get(dir)!.add(parts[i]!);
    }
  }
  const relOf = (path: string) => {
    const p = cleanPath(path);
    if (p === UPLOADED_FILES_DIR) return '';
    if (!p.startsWith(`${UPLOADED_FILES_DIR}/`)) throw new Error('local file path traverses outside the files directory');
    return p.slice(UPLOADED_FILES_DIR.length + 1);
  };
  const node = (rel: string): FilesDirNode | undefined => {
    const e = byPath.get(rel);
    if (e) return { type: e.type, mode: e.mode, ...(e.target !== undefined ? { target: e.target } : {}) };
    return children.has(rel) ? { type: 'directory', mode: 0o755 } : undefined;
  };
  return {
    filesDir: UPLOADED_FILES_DIR,
    readFile(path) {
      const e = byPath.get(relOf(path));
      if (!e) return undefined;
      if (e.contents === undefined) throw new Error(`read ${path}: ${e.type === 'directory' ? 'is a directory' : 'no contents were uploaded'}`);
      return fromBase64(e.contents);
    },
    walker: {
      // Links in an upload were followed (inside the directory) by the uploader: what a read gives is the contents.
      stat: (path) => {
        const n = node(relOf(path));
        return n?.type === 'symlink' ? { type: byPath.get(relOf(path))?.contents !== undefined ? 'file' : 'directory', mode: n.mode } : n;
      },
      lstat: (path) => node(relOf(path)),
      readDir: (path) => [...(children.get(relOf(path)) ?? [])].sort(),
    },
  };
}

/**
 * Wraps a files directory so every name a translation touches is recorded as an upload entry: the
 * CLI translates locally first, then sends the server only what the config reads.
 */
export function recordingFilesDir(inner: FilesDirAccess): { access: FilesDirAccess; entries: () => FilesDirEntryInput[] } {
  const seen = new Map<string, FilesDirEntryInput>();
  const relOf = (path: string) => cleanPath(path).slice(cleanPath(inner.filesDir).length + 1);
  const note = (path: string, entry: Omit<FilesDirEntryInput, 'path'>) => {
    const rel = relOf(path);
    if (!rel) return;
    const was = seen.get(rel);
    // A name both listed as a link (a tree) and read (a local: file) keeps both: the link and the bytes behind it.
    seen.set(rel, was ? { ...was, ...entry, type: was.type === 'symlink' ? 'symlink' : entry.type, ...(was.target ? { target: was.target } : {}) } : { path: rel, ...entry });
  };
  return {
    access: {
      filesDir: inner.filesDir,
      readFile(path) {
        const data = inner.readFile(path);
        if (data !== undefined) note(path, { type: 'file', contents: toBase64(typeof data === 'string' ? utf8(data) : data) });
        return data;
      },
      walker: {
        stat(path) {
          const n = inner.walker.stat(path);
          if (n && n.type !== 'symlink') note(path, { type: n.type === 'other' ? 'file' : n.type, mode: n.mode });
          return n;
        },
        lstat(path) {
          const n = inner.walker.lstat(path);
          if (n && n.type !== 'other') note(path, { type: n.type, mode: n.mode, ...(n.target !== undefined ? { target: n.target } : {}) });
          return n;
        },
        readDir: (path) => inner.walker.readDir(path),
      },
    },
    entries: () => [...seen.values()],
  };
}
