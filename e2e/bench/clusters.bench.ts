import { expect, test } from '@playwright/test';
import { Account } from '../../src/shared/domain/account';
import { NewApplication } from '../../src/shared/domain/application';
import { NewProject } from '../../src/shared/domain/project';
import { ServerGroup } from '../../src/shared/domain/server-group';
import type { HealthState } from '../../src/shared/domain/instance';
import { report, startBenchKiln } from './bench-kiln';

// The clusters view at fleet scale (issue 22; Deck needs an "on-demand" mode above 250 clusters):
// 250 clusters, 1,000 server groups, 5,000 instances in one application, seeded through the
// repositories. Figures: navigation → first server-group cards painted, the longest main-thread task
// on the way, API requests the view makes, and the worst interaction (INP) while typing a filter.
// Run: KILN_E2E_PORT=8338 BENCH='bench/clusters.bench.ts' npx playwright test -c e2e/bench/playwright.config.ts

test.use({ trace: 'off' });

const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 250);
const GROUPS_PER_CLUSTER = 4; // 2 regions × 2 versions
const INSTANCES_PER_GROUP = 5;
const HEALTH: HealthState[] = ['up', 'up', 'up', 'starting', 'down'];

/** Notes the first frame after a server-group card appears, and every long task and interaction. */
function observe() {
  const w = window as unknown as { __rows?: number; __long: number[]; __events: { name: string; duration: number; id: number }[] };
  w.__long = [];
  w.__events = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) =>
    list.getEntries().forEach((e) => {
      const id = (e as PerformanceEntry & { interactionId?: number }).interactionId ?? 0;
      if (id > 0) w.__events.push({ name: e.name, duration: e.duration, id });
    }),
  ).observe({ type: 'event', buffered: true, durationThreshold: 16 } as PerformanceObserverInit);
  const seen = () => {
    if (w.__rows !== undefined || !document.querySelector('ul[aria-label^="Server groups in"] li')) return false;
    w.__rows = -1;
    requestAnimationFrame(() => requestAnimationFrame(() => (w.__rows = performance.now())));
    return true;
  };
  const watch = new MutationObserver(() => seen() && watch.disconnect());
  document.addEventListener('DOMContentLoaded', () => watch.observe(document.body, { childList: true, subtree: true }));
}

test('clusters view figures', async ({ browser }) => {
  const kiln = await startBenchKiln();
  try {
    const { repos } = kiln;
    await repos.projects.create(NewProject.parse({ name: 'fleet', displayName: 'Fleet', description: 'Scale bench', ownerEmail: 'fleet@example.com' }));
    await repos.applications.create(NewApplication.parse({ name: 'fleet', project: 'fleet', description: 'Fleet', ownerEmail: 'fleet@example.com' }));
    for (const name of ['prod', 'staging']) {
      await repos.accounts.upsert(Account.parse({ name, provider: 'local', environment: name, regions: ['east', 'west'], demo: false }));
    }
    const seedStart = Date.now();
    let n = 0;
    for (let c = 0; c < CLUSTERS; c += 1) {
      const account = c % 2 === 0 ? 'prod' : 'staging';
      const stack = `s${String(c).padStart(3, '0')}`;
      for (const region of ['east', 'west']) {
        for (const sequence of [1, 2]) {
          const name = `fleet-${stack}-v${String(sequence).padStart(3, '0')}`;
          const launchedAt = new Date(Date.UTC(2026, 10, 1, 12, sequence)).toISOString();
          await repos.serverGroups.save(
            ServerGroup.parse({
              name,
              application: 'fleet',
              cluster: `fleet-${stack}`,
              stack,
              sequence,
              account,
              region,
              image: { name: 'fleet', version: `1.0.${sequence}` },
              capacity: { min: 1, desired: INSTANCES_PER_GROUP, max: 10 },
              disabled: sequence === 1,
              loadBalancers: [],
              instances: HEALTH.slice(0, INSTANCES_PER_GROUP).map((health, i) => ({
                id: `i-${(n += 1).toString(16).padStart(8, '0')}`,
                serverGroup: name,
                account,
                region,
                zone: `${region}-a`,
                health,
                healthDetail: `health is ${health}`,
                address: `127.0.0.1:${20000 + i}`,
                launchedAt,
              })),
              launchedAt,
            }),
          );
        }
      }
    }
    process.stdout.write(`\nClusters view: ${CLUSTERS} clusters, ${CLUSTERS * GROUPS_PER_CLUSTER} server groups, ${n} instances (seeded in ${Date.now() - seedStart} ms)\n`);

    const context = await browser.newContext();
    await kiln.signIn(context);
    const page = await context.newPage();
    await page.addInitScript(observe);
    // Warm the browser's cache of Kiln's code (a returning engineer) on another page of the app.
    await page.goto(`${kiln.url}/applications/fleet/pipelines`);
    await page.waitForLoadState('networkidle');

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const mainThread = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value])) as Record<string, number>;
    const before = await mainThread();
    const requests: string[] = [];
    page.on('request', (r) => r.url().includes('/api/') && !r.url().includes('/api/events') && requests.push(new URL(r.url()).pathname));
    await page.goto(`${kiln.url}/applications/fleet/clusters`);
    await expect(page.locator('ul[aria-label^="Server groups in"] li').first()).toBeVisible({ timeout: 60_000 });
    await page.waitForFunction(() => ((window as unknown as { __rows?: number }).__rows ?? -1) > 0);
    await page.waitForTimeout(1000);
    const { rows, longest } = await page.evaluate(() => {
      const w = window as unknown as { __rows: number; __long: number[] };
      return { rows: w.__rows, longest: Math.max(0, ...w.__long) };
    });
    report('navigation → server-group cards painted', { id: 'clusters.250.rows-visible', value: rows, unit: 'ms', goal: { max: 1000 } });
    report('longest main-thread task while opening', { id: 'clusters.250.longest-task', value: longest, unit: 'ms', goal: { max: 200 } });
    report('API requests the view made', {
      id: 'clusters.250.requests',
      value: requests.length,
      unit: 'requests',
      shown: `${requests.length} (${[...new Set(requests)].join(', ')})`,
    });
    // Where the time went: when each request and chunk started and ended (ms after navigation), its
    // bytes, and the BFF's own time (Server-Timing); then the main thread's totals (CDP), which a
    // loaded machine inflates less than wall time. Compare builds by these, in one session.
    const waterfall = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => /\/(api|assets)\//.test(e.name) && !e.name.includes('/api/events'))
        .map((e) => {
          const app = e.serverTiming.find((t) => t.name === 'app');
          return `  ${new URL(e.name).pathname.padEnd(48)} ${e.startTime.toFixed(0).padStart(5)} → ${e.responseEnd.toFixed(0).padStart(5)} ms  ${(e.encodedBodySize / 1024).toFixed(0).padStart(5)} KB${app ? `  server ${app.duration.toFixed(1)} ms` : ''}`;
        }),
    );
    process.stdout.write(`requests and chunks (start → end after navigation):\n${waterfall.join('\n')}\n`);
    const after = await mainThread();
    const metric = (name: string) => (((after[name] ?? 0) - (before[name] ?? 0)) * 1000).toFixed(0);
    process.stdout.write(
      `main thread while opening: script ${metric('ScriptDuration')} ms, layout ${metric('LayoutDuration')} ms, style ${metric('RecalcStyleDuration')} ms, tasks ${metric('TaskDuration')} ms\n`,
    );
    // Every card and every instance dot is rendered at once (no windowing): the cost the figures above show.
    const items = await page.locator('ul[aria-label^="Server groups in"] li').count();
    process.stdout.write(`${'list items in the DOM (server-group cards and instances)'.padEnd(56)} ${items}\n`);

    // Typing a filter: each key is an interaction; INP is the worst one's input → next paint.
    await page.evaluate(() => {
      const w = window as unknown as { __long: number[]; __events: unknown[] };
      w.__long = [];
      w.__events = [];
    });
    const search = page.getByRole('searchbox', { name: 'Search server groups' });
    await search.click();
    await search.pressSequentially('fleet-s12', { delay: 120 });
    await expect(page.locator('ul[aria-label^="Server groups in"] li').first()).toBeVisible();
    await page.waitForTimeout(1500);
    const typing = await page.evaluate(() => {
      const w = window as unknown as { __long: number[]; __events: { duration: number; id: number }[] };
      const byInteraction = new Map<number, number>();
      for (const e of w.__events) byInteraction.set(e.id, Math.max(byInteraction.get(e.id) ?? 0, e.duration));
      return { inp: Math.max(0, ...byInteraction.values()), interactions: byInteraction.size, longest: Math.max(0, ...w.__long) };
    });
    report('filter typing: worst interaction (INP)', {
      id: 'clusters.250.filter-inp',
      value: typing.inp,
      unit: 'ms',
      goal: { max: 100 },
      shown: `${typing.inp.toFixed(0)} ms (${typing.interactions} interactions over 16 ms; longest task ${typing.longest.toFixed(0)} ms)`,
    });
    await page.screenshot({ path: 'e2e/.artifacts/screens/clusters-bench-250.png' });
    await context.close();
  } finally {
    await kiln.close();
  }
});
