import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './diagnostic';
import type { FilesDirWalker } from './butane-trees';
import { toBase64, utf8 } from './data-url';
import { type FilesDirEntryInput, FilesDirEntry, uploadedFilesDir } from './files-dir';
import { translateButane } from './translate-butane';
import { ignitionValidate } from './validators.node';

/** A files directory as upstream's TestTranslateTree builds it: each file holds its own relative path. */
function dir(files: Record<string, number>, links: Record<string, string> = {}, dirs: Record<string, number> = {}) {
  const entries: FilesDirEntryInput[] = [
    ...Object.entries(files).map(([path, mode]) => ({ path, type: 'file' as const, mode, contents: toBase64(utf8(path)) })),
    ...Object.entries(links).map(([path, target]) => ({ path, type: 'symlink' as const, mode: 0o777, target })),
    ...Object.entries(dirs).map(([path, mode]) => ({ path, type: 'directory' as const, mode })),
  ];
  return uploadedFilesDir(entries.map((e) => FilesDirEntry.parse(e)));
}
const errorsOf = (result: ReturnType<typeof translateButane>) => result.errors.map((e) => formatDiagnostic('error', e));

describe('Butane storage.trees', () => {
  it('expands a tree as upstream butane does: files in walk order with 0755/0644, links kept, declared nodes filled in place; ignition-validate accepts it', () => {
    // Upstream's "basic functionality" case (base/v0_4 translate_test.go), less its one gzip-compressed file.
    const source = `variant: fcos
version: 1.4.0
storage:
  files:
    - path: /overridden
      mode: 0600
      user: { name: bovik }
    - path: /overridden-executable
      mode: 0600
      user: { name: bovik }
  links:
    - path: /subdir/overridden-link
      user: { name: bovik }
  trees:
    - local: tree
    - local: tree2
      path: /etc
`;
    const files = dir(
      { 'tree/executable': 0o700, 'tree/file': 0o600, 'tree/overridden': 0o644, 'tree/overridden-executable': 0o700, 'tree/subdir/file': 0o644, 'tree2/file': 0o600 },
      { 'tree/subdir/bad-link': '../nonexistent', 'tree/subdir/link': '../file', 'tree/subdir/overridden-link': '../file' },
      { 'tree/empty': 0o700 },
    );
    const result = translateButane(source, files);
    expect(errorsOf(result)).toEqual([]);
    const data = (text: string) => ({ compression: '', source: `data:,${text.replaceAll('/', '%2F')}` });
    expect(result.ignition?.storage?.files).toEqual([
      { path: '/overridden', user: { name: 'bovik' }, contents: data('tree/overridden'), mode: 0o600 },
      { path: '/overridden-executable', user: { name: 'bovik' }, contents: data('tree/overridden-executable'), mode: 0o600 },
      { path: '/executable', contents: data('tree/executable'), mode: 0o755 },
      { path: '/file', contents: data('tree/file'), mode: 0o644 },
      { path: '/subdir/file', contents: data('tree/subdir/file'), mode: 0o644 },
      { path: '/etc/file', contents: data('tree2/file'), mode: 0o644 },
    ]);
    expect(result.ignition?.storage?.links).toEqual([
      { path: '/subdir/overridden-link', user: { name: 'bovik' }, target: '../file' },
      { path: '/subdir/bad-link', target: '../nonexistent' },
      { path: '/subdir/link', target: '../file' },
    ]);
    expect(result.ignition?.storage?.directories).toBeUndefined();
    // Ignition's field order, as Butane writes it.
    expect(JSON.stringify(result.ignition?.storage?.files?.[0])).toBe(
      '{"path":"/overridden","user":{"name":"bovik"},"contents":{"compression":"","source":"data:,tree%2Foverridden"},"mode":384}',
    );
    expect(ignitionValidate(result.ignition)).toEqual({ status: 0, output: '' });
  });

  it('names each tree that collides with a node the config already has, as upstream does', () => {
    const source = `variant: fcos
version: 1.4.0
storage:
  files:
    - { path: /file, contents: { source: "data:,foo" } }
    - { path: /file-partial }
  directories:
    - { path: /directory }
  links:
    - { path: /link, target: file }
    - { path: /link-partial }
  trees:
${[...Array(16).keys()].map((i) => `    - local: tree${i}`).join('\n')}
`;
    const files = dir(
      {
        'tree0/file': 0o600,
        'tree1/directory': 0o600,
        'tree2/link': 0o600,
        'tree3/file-partial': 0o600,
        'tree4/link-partial': 0o600,
        'tree5/tree-file': 0o600,
        'tree6/tree-file': 0o600,
        'tree15/tree-link': 0o600,
      },
      {
        'tree7/file': 'file',
        'tree8/directory': 'file',
        'tree9/link': 'file',
        'tree10/file-partial': 'file',
        'tree11/link-partial': 'file',
        'tree12/tree-file': 'file',
        'tree13/tree-link': 'file',
        'tree14/tree-link': 'file',
      },
    );
    const failed = [0, 1, 2, 4, 6, 7, 8, 9, 10, 12, 14, 15];
    expect(translateButane(source, files).errors.map((e) => `${e.path}: ${e.message}`)).toEqual(
      failed.map((i) => `$.storage.trees.${i}: matching filesystem node has existing contents or different type`),
    );
  });

  it('refuses a tree outside the files directory, without one, not a directory, missing, or holding a socket', () => {
    const tree = (local: string) => `variant: fcos\nversion: 1.4.0\nstorage:\n  trees:\n    - local: ${local}\n`;
    const files = dir({ 'tree/file': 0o644, 'plain-file': 0o644 });
    expect(errorsOf(translateButane(tree('../escape'), files))).toEqual(['error at $.storage.trees.0, line 5 col 7: local file path traverses outside the files directory']);
    expect(errorsOf(translateButane(tree('tree/../../escape'), files))).toEqual([
      'error at $.storage.trees.0, line 5 col 7: local file path traverses outside the files directory',
    ]);
    expect(errorsOf(translateButane(tree('tree')))).toEqual([
      'error at $.storage.trees.0, line 5 col 7: local file paths are relative to a files directory that must be specified with -d/--files-dir',
    ]);
    expect(errorsOf(translateButane(tree('plain-file'), files))).toEqual(['error at $.storage.trees.0, line 5 col 7: root of tree must be a directory']);
    expect(errorsOf(translateButane(tree('nonexistent'), files))).toEqual(['error at $.storage.trees.0, line 5 col 7: stat /files-dir/nonexistent: no such file or directory']);
    const withSocket: FilesDirWalker = {
      ...files.walker,
      readDir: (p) => [...files.walker.readDir(p), ...(p.endsWith('/tree') ? ['socket'] : [])],
      lstat: (p) => (p.endsWith('/socket') ? { type: 'other', mode: 0o755 } : files.walker.lstat(p)),
    };
    expect(errorsOf(translateButane(tree('tree'), { ...files, walker: withSocket }))).toEqual([
      'error at $.storage.trees.0, line 5 col 7: trees may only contain files, directories, and symlinks',
    ]);
    expect(errorsOf(translateButane('variant: fcos\nversion: 1.4.0\nstorage:\n  trees:\n    - path: /etc\n', files))).toEqual([
      'error at $.storage.trees.0.local, line 5 col 7: local is required',
    ]);
  });
});
