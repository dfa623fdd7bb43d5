import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

/**
 * The modules a file loads when it is imported, followed through the repository's own files: what
 * Kiln pulls in at start (start-imports.test.ts) and which test files need a database or a test
 * service (test-groups.ts, so npm test sorts new files by what they use, not by a list).
 */
export const ROOT = resolve(import.meta.dirname, '../..');

/** The specifiers a module loads when it is imported: static imports and re-exports, not `import type` nor `import()`. */
export function staticImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:(?:import|export)\s+(type\s+)?([^'";]*?)\s+from\s+|import\s+)['"]([^'"]+)['"]/gm)) {
    const [, typeOnly, names = '', specifier] = m;
    if (typeOnly) continue;
    // `import { type A, type B } from` is erased as a whole.
    const braces = /^\{([^}]*)\}$/.exec(names.trim());
    if (braces && braces[1]!.split(',').every((n) => !n.trim() || n.trim().startsWith('type '))) continue;
    found.push(specifier!);
  }
  return found;
}

export const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  return ['', '.ts', '.tsx', '/index.ts', '.mjs'].map((ext) => base + ext).find((file) => statSync(file, { throwIfNoEntry: false })?.isFile());
}

export interface ImportGraph {
  /** Every repository file reached (absolute paths), with the file that first imported it. */
  files: Map<string, string | undefined>;
  /** Every package reached, with the chain of repository files that brings it in (nearest first, relative to ROOT). */
  packages: Map<string, string[]>;
}

/** Each file's imports, read and resolved once however many graphs walk through it (test-groups walks one per test file). */
const importsOf = new Map<string, { local: string[]; packages: string[] }>();
function importsOfFile(file: string) {
  let found = importsOf.get(file);
  if (!found) {
    const specifiers = staticImports(readFileSync(file, 'utf8'));
    found = {
      local: specifiers.flatMap((s) => (s.startsWith('.') ? [resolveLocal(file, s) ?? []].flat() : [])),
      packages: specifiers.filter((s) => !s.startsWith('.') && !s.startsWith('node:')).map(packageOf),
    };
    importsOf.set(file, found);
  }
  return found;
}

export function importGraph(entry: string): ImportGraph {
  const files = new Map<string, string | undefined>([[entry, undefined]]);
  const packages = new Map<string, string[]>();
  const chain = (file: string): string[] => {
    const out: string[] = [];
    for (let f: string | undefined = file; f; f = files.get(f)) out.push(relative(ROOT, f));
    return out;
  };
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const { local, packages: reached } = importsOfFile(file);
    for (const target of local)
      if (!files.has(target)) {
        files.set(target, file);
        queue.push(target);
      }
    for (const name of reached) if (!packages.has(name)) packages.set(name, chain(file));
  }
  return { files, packages };
}
