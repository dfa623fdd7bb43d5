import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Prints the gzip size of every JS/CSS chunk of the built dashboard and of the JS a browser
 * must load for the first route (`/` → `/projects`): the entry, its static imports, and the
 * lazily loaded page module with its own static imports. `--check` fails above the budget.
 */
// 170 → 157 KB (measured 153.9): the demo guide's live parts and the no-account notice load with
// their data, so the pipeline, cluster and account schemas left the first route. What is left is
// ~131 KB of libraries (React DOM 62, React Router 29.5, zod 25, TanStack Query 10, React 4.5) and
// ~19 KB of Kiln's own code: the 130 KB needs zod off the first paint.
// 157 → 130 KB (measured 123.8): zod and the endpoints' schemas load beside the first requests
// (answers are still checked, once they are in), so the first paint no longer waits for them.
const BUDGET_FIRST_ROUTE_GZIP = 130 * 1024;
const FIRST_ROUTE_MODULE = /^src\/web\/app\/routes\/projects[^/]*\.tsx$/;
/** The pipeline editor: what opening it loads beyond the first route (React Flow, the draft store, forms); elkjs stays in its worker. */
// 90 KB until the Jenkins build and Move image channel stages (their forms and schemas, ~1.6 KB gz
// after the Spinnaker account mapping was made lazy); every stage type's form is in the editor.
// 93 → 94 KB for `${ … }` in every number and choice field (the save-time check of each expression
// runs in the editor too, ~1.3 KB gz) and the run-job stage's container account and image.
// 94 → 103 KB, with nothing added: the pipeline schema (domain, expressions, cron, ~6.5 KB gz)
// is no longer in the first route, so the editor is now the first to load it. First route +
// editor went from 255.1 to 253.8 KB.
// 103 → 132 KB, with nothing added: zod (25.4 KB) and the schemas of the endpoints left the first
// route, so the editor is the first to load them. First route + editor: 255.2 → 253.4 KB.
const BUDGET_EDITOR_GZIP = 132 * 1024;
const EDITOR_ROUTE_MODULE = /^src\/web\/app\/routes\/pipeline-editor\.tsx$/;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const dist = resolve(process.argv.find((a) => !a.startsWith('-') && a.endsWith('dist')) ?? 'dist');
const check = process.argv.includes('--check');
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;

const gzip = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** A chunk and everything it imports statically (what the browser fetches before running it). */
function closure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) closure(dep, seen);
  return seen;
}

const entryKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
if (!entryKey) throw new Error('no entry chunk in the Vite manifest; was the build run with build.manifest?');
const routeKeys = Object.keys(manifest).filter((k) => FIRST_ROUTE_MODULE.test(manifest[k]?.src ?? ''));
if (routeKeys.length === 0) throw new Error(`no chunk for the first route (${FIRST_ROUTE_MODULE}) in the manifest`);

const firstRoute = new Set<string>();
for (const key of [entryKey, ...routeKeys]) for (const k of closure(key)) firstRoute.add(k);
const firstRouteFiles = [...new Set([...firstRoute].map((k) => manifest[k]!.file))];

const assets = readdirSync(join(dist, 'assets'))
  .filter((f) => /\.(js|css)$/.test(f))
  .map((f) => `assets/${f}`);
const rows = assets.map((file) => ({ file, raw: statSync(join(dist, file)).size, gz: gzip(file), first: firstRouteFiles.includes(file) })).sort((a, b) => b.gz - a.gz);

process.stdout.write(`${'chunk'.padEnd(58)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)}  first route\n`);
for (const r of rows) {
  process.stdout.write(`${r.file.padEnd(58)} ${kb(r.raw).padStart(10)} ${kb(r.gz).padStart(10)}  ${r.first ? 'yes' : ''}\n`);
}
const firstRouteGzip = rows.filter((r) => r.first && r.file.endsWith('.js')).reduce((sum, r) => sum + r.gz, 0);
const totalJs = rows.filter((r) => r.file.endsWith('.js')).reduce((sum, r) => sum + r.gz, 0);
process.stdout.write(`\nall JS: ${kb(totalJs)} gzip in ${rows.filter((r) => r.file.endsWith('.js')).length} chunks\n`);
process.stdout.write(
  `first-route JS (/projects): ${kb(firstRouteGzip)} gzip in ${firstRouteFiles.filter((f) => f.endsWith('.js')).length} chunks (budget ${kb(BUDGET_FIRST_ROUTE_GZIP)})\n`,
);

// What the first page's answers are checked with: the endpoints (and zod) it imports lazily beside
// its first requests. A chunk with no source of its own or under src/shared/ is such a module; a
// page or feature the first route may open later has its src/web path.
const checkedWith = new Set<string>();
for (const key of firstRoute)
  for (const dep of manifest[key]?.dynamicImports ?? []) if (dep.startsWith('_') || dep.startsWith('src/shared/')) for (const k of closure(dep)) checkedWith.add(manifest[k]!.file);
const checkGzip = rows.filter((r) => r.file.endsWith('.js') && checkedWith.has(r.file) && !r.first).reduce((sum, r) => sum + r.gz, 0);
process.stdout.write(`  + its answers' schemas and zod, loaded beside its first requests: ${kb(checkGzip)} gzip (first route with them: ${kb(firstRouteGzip + checkGzip)})\n`);

// The editor chunk: every JS file the editor route needs that the first route did not already load.
const editorKeys = Object.keys(manifest).filter((k) => EDITOR_ROUTE_MODULE.test(manifest[k]?.src ?? ''));
let editorGzip = 0;
if (editorKeys.length > 0) {
  const editorFiles = new Set<string>();
  for (const key of editorKeys) for (const k of closure(key)) editorFiles.add(manifest[k]!.file);
  const extra = rows.filter((r) => r.file.endsWith('.js') && editorFiles.has(r.file) && !r.first);
  editorGzip = extra.reduce((sum, r) => sum + r.gz, 0);
  const elkInline = extra.some((r) => readFileSync(join(dist, r.file), 'utf8').includes('org.eclipse.elk'));
  process.stdout.write(
    `editor route JS (beyond the first route): ${kb(editorGzip)} gzip in ${extra.length} chunks (budget ${kb(BUDGET_EDITOR_GZIP)})${elkInline ? ' — elkjs is in it, not in the worker!' : ''}\n`,
  );
  const workers = rows.filter((r) => /layout\.worker/.test(r.file));
  for (const w of workers) process.stdout.write(`layout worker (elkjs, loaded off the main thread): ${kb(w.gz)} gzip\n`);
  if (elkInline) editorGzip = Number.POSITIVE_INFINITY;
}
// For `npm run bench` (src/tools/bench/run.ts): one machine-readable line per figure.
console.log(
  `BENCH-JSON ${JSON.stringify({ id: 'web.first-route-js', label: 'First-route JS (gzip)', value: firstRouteGzip / 1024, unit: 'KB', better: 'lower', goal: { max: 130 } })}`,
);
if (editorKeys.length > 0)
  console.log(
    `BENCH-JSON ${JSON.stringify({ id: 'web.editor-js', label: 'Pipeline editor JS beyond the first route (gzip)', value: editorGzip / 1024, unit: 'KB', better: 'lower', goal: { max: BUDGET_EDITOR_GZIP / 1024 } })}`,
  );
if (check && firstRouteGzip > BUDGET_FIRST_ROUTE_GZIP) {
  process.stderr.write(`first-route JS is over budget by ${kb(firstRouteGzip - BUDGET_FIRST_ROUTE_GZIP)}\n`);
  process.exit(1);
}
if (check && editorGzip > BUDGET_EDITOR_GZIP) {
  process.stderr.write(`editor route JS is over budget by ${kb(editorGzip - BUDGET_EDITOR_GZIP)} (or elkjs left its worker)\n`);
  process.exit(1);
}
