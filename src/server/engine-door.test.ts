import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The BFF talks to the engine through createEngine's facade only (src/engine/index.ts), so what
// the engine keeps to itself can change without the routes noticing. Tests, and the test-*.ts
// set-ups they share, may reach further in.
const SERVER = resolve(import.meta.dirname);
const ENGINE = resolve(SERVER, '../engine');
const FACADE = join(ENGINE, 'index');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.startsWith('test-') ? [join(dir, e.name)] : [],
  );

/** Every engine module a file imports or re-exports, statically or dynamically, other than the facade. */
function engineSideDoors(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s).replace(/\.(js|ts)$/, ''))
    .filter((target) => (target === ENGINE || target.startsWith(`${ENGINE}/`)) && target !== FACADE && target !== ENGINE)
    .map((target) => relative(resolve(SERVER, '../..'), target));
}

describe('one door into the engine', () => {
  it('src/server imports nothing of the engine but its facade, src/engine/index.ts', () => {
    const doors = sources(SERVER).flatMap((file) => engineSideDoors(file, readFileSync(file, 'utf8')).map((m) => `${relative(SERVER, file)} → ${m}`));
    expect(doors).toEqual([]);
  });

  it('notices a side door in any form an import can take', () => {
    const file = join(SERVER, 'routes/x.ts');
    const text = [
      "import { a } from '../../engine/cloud/cluster-ops';",
      "import type { B } from '../../engine/events/event-bus.js';",
      "export { c } from '../../engine/lifecycle';",
      "const d = await import('../../engine/operations');",
      "import { e } from '../../engine/index';",
      "import { f } from '../../shared/api/server-groups';",
    ].join('\n');
    expect(engineSideDoors(file, text)).toEqual(['src/engine/cloud/cluster-ops', 'src/engine/events/event-bus', 'src/engine/lifecycle', 'src/engine/operations']);
  });
});
