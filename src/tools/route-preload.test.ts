import { describe, expect, it } from 'vitest';
import type { IndexHtmlTransformContext } from 'vite';
import { routeFiles, routePreload } from './route-preload';

type Bundle = NonNullable<IndexHtmlTransformContext['bundle']>;
const chunk = (fileName: string, facadeModuleId: string | null, imports: string[], extra: { isEntry?: boolean; css?: string[]; modules?: string[] } = {}) => ({
  type: 'chunk' as const,
  fileName,
  facadeModuleId,
  moduleIds: [...(facadeModuleId ? [facadeModuleId] : []), ...(extra.modules ?? [])],
  imports,
  isEntry: extra.isEntry ?? false,
  viteMetadata: { importedCss: new Set(extra.css ?? []), importedAssets: new Set<string>() },
});
// The entry shares react with the editor; the editor's page needs its own chunks and a stylesheet.
const bundle = Object.fromEntries(
  [
    chunk('assets/index.js', '/repo/index.html', ['assets/react.js'], { isEntry: true }),
    chunk('assets/react.js', null, []),
    chunk('assets/layout.js', '/repo/src/web/app/routes/application-layout.tsx', ['assets/react.js', 'assets/badge.js']),
    chunk('assets/badge.js', null, []),
    chunk('assets/editor.js', '/repo/src/web/app/routes/pipeline-editor.tsx', ['assets/flow.js', 'assets/badge.js'], { css: ['assets/editor.css'] }),
    chunk('assets/flow.js', null, ['assets/react.js']),
    chunk('assets/projects.js', '/repo/src/web/app/routes/projects.tsx', ['assets/react.js']),
    // The endpoints the first page loads lazily, in a chunk other pages import statically (no facade).
    chunk('assets/auth.js', null, ['assets/zod.js'], { modules: ['/repo/src/shared/domain/user.ts', '/repo/src/shared/api/auth.ts'] }),
    chunk('assets/zod.js', null, []),
  ].map((c) => [c.fileName, c]),
) as unknown as Bundle;

describe('route preload', () => {
  it("lists a route's chunks beyond the entry's, with their stylesheets, and nothing of other routes", () => {
    expect(routeFiles(bundle, ['src/web/app/routes/application-layout.tsx', 'src/web/app/routes/pipeline-editor.tsx'])).toEqual({
      js: ['assets/layout.js', 'assets/badge.js', 'assets/editor.js', 'assets/flow.js'],
      css: ['assets/editor.css'],
    });
  });

  it('finds a lazily imported module inside a chunk it shares with others', () => {
    expect(routeFiles(bundle, ['src/shared/api/auth.ts'])).toEqual({ js: ['assets/auth.js', 'assets/zod.js'], css: [] });
  });

  it('fails the build when a route module is no longer a chunk of its own, rather than preloading nothing', () => {
    expect(() => routeFiles(bundle, ['src/web/app/routes/gone.tsx'])).toThrow(/no chunk for src\/web\/app\/routes\/gone\.tsx/);
  });

  it("adds to index.html a script that hints the route's files on its address only", () => {
    const plugin = routePreload([{ path: '^/edit/[^/]+$', modules: ['src/web/app/routes/pipeline-editor.tsx'] }]);
    const hook = plugin.transformIndexHtml as { handler: (html: string, ctx: IndexHtmlTransformContext) => string };
    const html = hook.handler('<html><head></head><body></body></html>', { path: '/index.html', filename: 'index.html', bundle } as IndexHtmlTransformContext);
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    const added = (pathname: string) => {
      const links: { rel: string; as?: string; href: string }[] = [];
      const document = { createElement: () => ({}) as (typeof links)[number], head: { appendChild: (l: (typeof links)[number]) => links.push({ ...l }) } };
      new Function('location', 'document', script)({ pathname }, document);
      return links;
    };
    expect(added('/edit/p1')).toEqual([
      { rel: 'modulepreload', href: '/assets/editor.js' },
      { rel: 'modulepreload', href: '/assets/flow.js' },
      { rel: 'modulepreload', href: '/assets/badge.js' },
      { rel: 'preload', as: 'style', href: '/assets/editor.css' },
    ]);
    expect(added('/projects')).toEqual([]);
  });

  it('hints a file once when two matching routes need it', () => {
    const plugin = routePreload([
      { path: '^/(?!sign-in)', modules: ['src/shared/api/auth.ts'] },
      { path: '^/edit/[^/]+$', modules: ['src/web/app/routes/pipeline-editor.tsx', 'src/shared/api/auth.ts'] },
    ]);
    const hook = plugin.transformIndexHtml as { handler: (html: string, ctx: IndexHtmlTransformContext) => string };
    const html = hook.handler('<html><head></head><body></body></html>', { path: '/index.html', filename: 'index.html', bundle } as IndexHtmlTransformContext);
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    const hrefs: string[] = [];
    const document = { createElement: () => ({}) as { href: string }, head: { appendChild: (l: { href: string }) => hrefs.push(l.href) } };
    new Function('location', 'document', script)({ pathname: '/edit/p1' }, document);
    expect(hrefs).toEqual(['/assets/auth.js', '/assets/zod.js', '/assets/editor.js', '/assets/flow.js', '/assets/badge.js', '/assets/editor.css']);
  });
});
