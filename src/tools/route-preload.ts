import type { IndexHtmlTransformContext, Plugin } from 'vite';

/** A page whose lazily loaded route modules are worth fetching with the HTML. */
export interface PreloadedRoute {
  /** Matched against location.pathname in the page (a RegExp source). */
  path: string;
  /** The route's modules, relative to the project root (its page, its parent layouts, its loader). */
  modules: string[];
}

type Bundle = NonNullable<IndexHtmlTransformContext['bundle']>;
interface ChunkLike {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  /** Every module in the chunk: a module imported both lazily and statically shares a chunk with others. */
  moduleIds?: string[];
  imports: string[];
  viteMetadata?: { importedCss: Set<string> };
}

const chunks = (bundle: Bundle) => Object.values(bundle).filter((c): c is ChunkLike & Bundle[string] => c.type === 'chunk') as ChunkLike[];

/** A chunk and every chunk it imports statically: what the browser fetches before running it. */
function closure(bundle: Bundle, fileName: string, into = new Set<string>()): Set<string> {
  if (into.has(fileName)) return into;
  into.add(fileName);
  const chunk = bundle[fileName] as ChunkLike | undefined;
  for (const dep of chunk?.imports ?? []) closure(bundle, dep, into);
  return into;
}

/** The files a route needs beyond the entry's, in the order the browser should ask for them. */
export function routeFiles(bundle: Bundle, modules: readonly string[]): { js: string[]; css: string[] } {
  const entry = new Set<string>();
  for (const c of chunks(bundle)) if (c.isEntry) closure(bundle, c.fileName, entry);
  const js = new Set<string>();
  for (const module of modules) {
    const is = (id: string | null | undefined) => id?.replaceAll('\\', '/').endsWith(`/${module}`) === true;
    const chunk = chunks(bundle).find((c) => is(c.facadeModuleId)) ?? chunks(bundle).find((c) => c.moduleIds?.some(is));
    if (!chunk) throw new Error(`route-preload: no chunk for ${module} (is it still imported lazily?)`);
    for (const f of closure(bundle, chunk.fileName)) if (!entry.has(f)) js.add(f);
  }
  const css = new Set<string>();
  for (const f of js) for (const c of (bundle[f] as ChunkLike).viteMetadata?.importedCss ?? []) css.add(c);
  return { js: [...js], css: [...css] };
}

/**
 * On a first visit the router asks for a lazy route's chunks only once the entry has loaded and
 * run; for the pipeline editor that is ~40 files behind the entry's. This adds a tiny inline
 * script to index.html that, on a matching address, hints them (modulepreload: fetched and
 * compiled, run only when the router imports them) while the entry is still loading.
 */
export function routePreload(routes: readonly PreloadedRoute[]): Plugin {
  let base = '/';
  return {
    name: 'kiln-route-preload',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.bundle) return html;
        const table = routes.map((r) => {
          const { js, css } = routeFiles(ctx.bundle!, r.modules);
          return [r.path, js.map((f) => base + f), css.map((f) => base + f)];
        });
        const script = `<script>
      // Generated (src/tools/route-preload.ts): this page's route chunks, fetched beside the entry's.
      (function (routes) {
        var hinted = {};
        routes.forEach(function (r) {
          if (!new RegExp(r[0]).test(location.pathname)) return;
          r[1].concat(r[2]).forEach(function (href, i) {
            if (hinted[href]) return;
            hinted[href] = true;
            var l = document.createElement('link');
            l.rel = i < r[1].length ? 'modulepreload' : 'preload';
            if (i >= r[1].length) l.as = 'style';
            l.href = href;
            document.head.appendChild(l);
          });
        });
      })(${JSON.stringify(table)});
    </script>
  `;
        return html.replace('</head>', `${script}</head>`);
      },
    },
  };
}
