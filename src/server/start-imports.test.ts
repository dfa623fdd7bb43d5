import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// What Kiln loads before it serves: every module main.ts reaches by static imports. The client
// libraries of providers (dockerode, the Kubernetes client and models: ~4 s of a cold start together
// on this machine) load when an account of that kind is first used, and the dashboard's libraries
// never belong on the server. Every test that builds the app or the engine pays this import too.
const ROOT = resolve(import.meta.dirname, '../..');
const NOT_AT_START = [/^dockerode$/, /^@kubernetes\/client-node$/, /^kubernetes-models$/, /^@codemirror\//, /^axe-core$/, /^react(-dom)?$/, /^@xyflow\//, /^elkjs$/, /^msw$/];

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

const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier).replace(/\.js$/, '');
  return ['', '.ts', '.tsx', '/index.ts', '.mjs'].map((ext) => base + ext).find((file) => statSync(file, { throwIfNoEntry: false })?.isFile());
}

/** Each package the start reaches, with the chain of modules that brings it in. */
function packagesReached(entry: string): Map<string, string[]> {
  const via = new Map<string, string | undefined>([[entry, undefined]]);
  const packages = new Map<string, string[]>();
  const queue = [entry];
  const chain = (file: string): string[] => {
    const out: string[] = [];
    for (let f: string | undefined = file; f; f = via.get(f)) out.push(relative(ROOT, f));
    return out;
  };
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of staticImports(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) {
        const target = resolveLocal(file, specifier);
        if (target && !via.has(target)) {
          via.set(target, file);
          queue.push(target);
        }
      } else if (!specifier.startsWith('node:') && !packages.has(packageOf(specifier))) packages.set(packageOf(specifier), chain(file));
    }
  }
  return packages;
}

describe('what Kiln loads at start', () => {
  it('loads no provider client library and nothing of the dashboard until it is used', () => {
    const reached = packagesReached(resolve(ROOT, 'src/server/main.ts'));
    const heavy = [...reached].filter(([name]) => NOT_AT_START.some((re) => re.test(name))).map(([name, chain]) => `${name} ← ${chain.join(' ← ')}`);
    expect(heavy).toEqual([]);
    // The walk really follows the start: the server's own libraries are reached.
    expect([...reached.keys()]).toEqual(expect.arrayContaining(['fastify', '@electric-sql/pglite', 'zod']));
  });

  it('tells the imports a module loads from those that are erased or deferred', () => {
    const text = [
      "import Docker from 'dockerode';",
      "import * as k8s from '@kubernetes/client-node';",
      "import { Job } from 'kubernetes-models/batch/v1/Job';",
      "import type { V1Pod } from '@kubernetes/client-node';",
      "import { type A, type B } from './types';",
      "import { type C, d } from './mixed';",
      "export { e } from './reexported';",
      "export * from './everything';",
      "export type { F } from './erased';",
      "import './side-effect';",
      "const lazy = await import('./lazy');",
    ].join('\n');
    expect(staticImports(text)).toEqual(['dockerode', '@kubernetes/client-node', 'kubernetes-models/batch/v1/Job', './mixed', './reexported', './everything', './side-effect']);
  });
});
