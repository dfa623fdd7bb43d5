import type { IndexHtmlTransformContext, Plugin } from 'vite';

/** A page whose lazily loaded route modules are worth fetching with the HTML. */
export interface PreloadedRoute {
  /** Matched against location.pathname in the page (a RegExp source). */
  path: string;
  /** The route's modules, relative to the project root (its page, its parent layouts, its loader). */
  modules: string[];
  /**
   * Web workers the route starts at once, by source name (`layered-layout.worker`): the page starts
   * them with the HTML, so their thread and script are ready when the route's code asks
   * (src/web/lib/page-start.ts takePageStartWorker).
   */
  workers?: string[];
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

/** The built file of a worker (emitted as an asset, `assets/<name>-<hash>.js`). */
export function workerFile(bundle: Bundle, name: string): string {
  const file = Object.keys(bundle).find((f) => f.replace(/^.*\//, '').replace(/-[\w-]{8}\.js$/, '') === name);
  if (!file) throw new Error(`route-preload: no worker ${name} in the bundle`);
  return file;
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
          const workers = (r.workers ?? []).map((w) => [w, base + workerFile(ctx.bundle!, w)]);
          return [r.path, js.map((f) => base + f), css.map((f) => base + f), workers];
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
          (r[3] || []).forEach(function (w) {
            if (typeof Worker !== 'function') return;
            var started = (window.__kilnPageStartWorkers = window.__kilnPageStartWorkers || {});
            try {
              if (!started[w[0]]) started[w[0]] = new Worker(w[1], { type: 'module' });
            } catch (e) {}
          });
        });
      })(${JSON.stringify(table)});
    </script>
    `;
        // Before the entry's script and stylesheet: an inline script after a stylesheet waits for it
        // to load (about 150 ms on the editor's first visit), and the hints with it.
        const at = html.search(/<script type="module"|<link rel="stylesheet"/);
        return at < 0 ? html.replace('</head>', `${script}</head>`) : `${html.slice(0, at)}${script}${html.slice(at)}`;
      },
    },
  };
}
