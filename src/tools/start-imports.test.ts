import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph, ROOT, staticImports } from './import-graph';

// What Kiln loads before it serves: every module main.ts reaches by static imports. The client
// libraries of providers (dockerode, the Kubernetes client and models: ~2 CPU-s of a cold start
// together) load when an account of that kind is first used, and the dashboard's libraries never
// belong on the server. Every test that builds the app or the engine pays this import too.
const NOT_AT_START = [/^dockerode$/, /^@kubernetes\/client-node$/, /^kubernetes-models$/, /^@codemirror\//, /^axe-core$/, /^react(-dom)?$/, /^@xyflow\//, /^elkjs$/, /^msw$/];

describe('what Kiln loads at start', () => {
  it('loads no provider client library and nothing of the dashboard until it is used', () => {
    const { packages } = importGraph(resolve(ROOT, 'src/server/main.ts'));
    const heavy = [...packages].filter(([name]) => NOT_AT_START.some((re) => re.test(name))).map(([name, chain]) => `${name} ← ${chain.join(' ← ')}`);
    expect(heavy).toEqual([]);
    // The walk really follows the start: the server's own libraries are reached.
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['fastify', '@electric-sql/pglite', 'zod']));
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
      "export const g = 'not an import';",
      "const lazy = await import('./lazy');",
    ].join('\n');
    expect(staticImports(text)).toEqual(['dockerode', '@kubernetes/client-node', 'kubernetes-models/batch/v1/Job', './mixed', './reexported', './everything', './side-effect']);
  });
});
