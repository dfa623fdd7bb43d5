import { describe, expect, it } from 'vitest';

// oxlint's no-restricted-imports cannot say "any feature but your own" without one override per
// feature (which a new feature would silently lack), so the boundary is checked here instead.
const sources = import.meta.glob<string>(['./**/*.ts', './**/*.tsx'], { query: '?raw', import: 'default', eager: true });
const SPECIFIER = /(?:from\s+|import\s*\(\s*|import\s+|vi\.mock\(\s*|new URL\(\s*)(['"])([^'"\n]+)\1/g;

/** The feature folder a path (relative to features/, without "./") lies in. */
const featureOf = (path: string) => path.split('/')[0];

function resolve(from: string, specifier: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const piece of specifier.split('/')) {
    if (piece === '..' && parts.length > 0 && parts.at(-1) !== '..') parts.pop();
    else if (piece === '..') parts.push('..');
    else if (piece !== '.') parts.push(piece);
  }
  return parts.join('/');
}

function crossFeatureImports(files: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    const from = file.replace(/^\.\//, '');
    for (const [, , specifier] of text.matchAll(SPECIFIER)) {
      if (!specifier?.startsWith('.')) continue;
      const target = resolve(from, specifier);
      // Leaving features/ (to lib, components, stages, shared) is fine; another feature is not.
      if (target.startsWith('..')) continue;
      if (featureOf(target) !== featureOf(from)) found.push(`${from} imports ${specifier}`);
    }
  }
  return found.sort();
}

describe('feature boundaries', () => {
  it('no feature imports another feature: shared pieces live in lib/ or components/, pages in app/routes', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect(crossFeatureImports(sources)).toEqual([]);
  });

  it('notices an import of another feature, however it is written', () => {
    const files = {
      './approvals/judgment-panel.tsx': "import { useNow } from '../executions/use-now';\nimport { x } from '../../lib/x';",
      './pipeline-editor/editor/a.tsx': "import { layout } from '../layout/layout';\nconst h = lazy(() => import('../../pipelines/p'));",
    };
    expect(crossFeatureImports(files)).toEqual(['approvals/judgment-panel.tsx imports ../executions/use-now', 'pipeline-editor/editor/a.tsx imports ../../pipelines/p']);
  });
});
