import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { percentile } from '../../src/shared/percentile';

// Figures for the log viewer on the real BFF and engine (printed; the only assertions are that the
// measured thing happened):
// - history ingest: opening a finished 100k-line runJob log, bytes per second from navigation
//   until every line is in the viewer (API paging + parsing + rendering);
// - live ingest: a job printing lines as fast as it can while the page follows it;
// - scroll: frame times while scrolling the 100k-line log top to bottom (p95);
// - event-to-DOM: a job printing its own clock every 50 ms; time until that line is in the DOM.

const LINES = Number(process.env.BENCH_LOG_LINES ?? 100_000);

async function run(request: APIRequestContext, name: string, command: string): Promise<string> {
  const created = await request.post('/api/applications/storefront/pipelines', {
    data: { name, concurrency: { limitConcurrent: false }, stages: [{ refId: 'job', type: 'runJob', name: 'Job', config: { command, timeoutSec: 600 } }] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const started = await request.post(`/api/pipelines/${((await created.json()) as { id: string }).id}/executions`, { data: {} });
  return ((await started.json()) as { id: string }).id;
}

async function waitDone(request: APIRequestContext, id: string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    const e = (await (await request.get(`/api/executions/${id}`)).json()) as { status: string };
    if (e.status === 'SUCCEEDED') return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('job did not finish');
}

/** Figures are printed as each part finishes, so a later failure does not lose them. */
const log = (line: string) => console.log(line);
/** For `npm run bench` (src/tools/bench/run.ts): one machine-readable line per figure. */
const report = (f: { id: string; label: string; value: number; unit: string; goal?: { min: number } | { max: number } }) => log(`BENCH-JSON ${JSON.stringify(f)}`);
const lineCount = (page: Page) => page.getByText(`${LINES.toLocaleString('en')} lines`, { exact: true });
const AWK = `awk 'BEGIN { for (i = 1; i <= ${LINES}; i++) printf "\\033[32m%07d\\033[0m compiling module-%d: src/components/widget-%d.tsx ok\\n", i, i, i % 97 }'`;

test('log viewer figures', async ({ page, request }) => {
  const text = (await import('node:child_process')).execSync(AWK, { shell: '/bin/sh', maxBuffer: 1024 * 1024 * 1024 }).toString();
  const bytes = Buffer.byteLength(text);
  const allLines = text.split('\n').slice(0, LINES);
  const mb = bytes / 1024 / 1024;
  log(`Log viewer, ${LINES.toLocaleString('en')} lines (${mb.toFixed(1)} MB with ANSI colours), Chromium headless:`);

  // Opening the finished log: the viewer asks for the tail and draws the last line. Timed in the
  // page, from the tail request going out to the last line in the DOM, and from navigation.
  const finished = await run(request, 'Bench history', AWK);
  await waitDone(request, finished);
  await page.addInitScript((last) => {
    const obs = new MutationObserver(() => {
      if (document.querySelector(`[data-line="${last}"]`)) {
        (window as unknown as { __tailAt: number }).__tailAt = performance.now();
        obs.disconnect();
      }
    });
    // Rows are reused as the view moves: a row becoming the last line is an attribute change.
    obs.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-line'] });
  }, LINES);
  const t0 = Date.now();
  await page.goto(`/applications/storefront/executions/${finished}?stage=job`);
  await expect(page.locator(`[data-line="${LINES}"]`)).toBeVisible({ timeout: 60_000 });
  const tailFromNavigation = Date.now() - t0;
  const [tailMs, requestMs] = await page.evaluate(() => {
    const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/logs?') && e.name.includes('tail=true')) as PerformanceResourceTiming;
    return [(window as unknown as { __tailAt: number }).__tailAt - entry.startTime, entry.responseEnd - entry.startTime];
  });
  log(
    `  open finished log at its tail: last line drawn ${tailMs.toFixed(0)} ms after the tail request went out (request ${requestMs.toFixed(0)} ms, then parse + render; ${tailFromNavigation} ms from navigation, SPA load included)`,
  );

  // Scrolling up loads the page before; the line at the top stays where it was.
  const scroller = page.getByTestId('log-scroll');
  const topLine = await scroller.evaluate(async (el) => {
    el.scrollTop = 0;
    el.dispatchEvent(new Event('scroll'));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return Number(el.querySelector('[data-line]')?.getAttribute('data-line'));
  });
  const t1 = Date.now();
  await expect(page.getByText(/\(6,000 loaded\)/)).toBeVisible({ timeout: 30_000 });
  const earlierMs = Date.now() - t1;
  const kept = await scroller.evaluate((el, n) => {
    const row = el.querySelector<HTMLElement>(`[data-line="${n}"]`);
    return row ? row.getBoundingClientRect().top - el.getBoundingClientRect().top : null;
  }, topLine);
  log(
    `  scroll up: the 5,000 lines before loaded in ${earlierMs} ms; line ${topLine} ${kept !== null && Math.abs(kept) < 40 ? `stayed in place (${kept.toFixed(0)} px from the top)` : 'moved'}`,
  );
  expect(kept).not.toBeNull();

  // The whole log, read forwards (a permalink to line 1 opens from the start), for the scroll figures.
  const t2 = Date.now();
  // From another page: a hash change alone is not a new visit, and the viewer keeps its tail.
  await page.goto('about:blank');
  await page.goto(`/applications/storefront/executions/${finished}?stage=job#L1`);
  await expect(lineCount(page)).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText(/loading…|loaded\)/)).toHaveCount(0, { timeout: 120_000 });
  const historyMs = Date.now() - t2;
  log(`  read the whole log from line 1: ${historyMs} ms = ${(mb / (historyMs / 1000)).toFixed(1)} MB/s (API paging + render)`);
  report({ id: 'logs.tail-open', label: `Log viewer: open a ${LINES.toLocaleString('en')}-line log at its tail`, value: tailMs, unit: 'ms' });
  report({ id: 'logs.history-ingest', label: 'Log viewer: history ingest', value: mb / (historyMs / 1000), unit: 'MB/s' });

  // Scroll frames, in the page's own animation loop: 240 frames at a steady speed (a slow wheel,
  // 60 px a frame; a fast flick, 800 px a frame: every row changes each frame), then dragging the
  // scrollbar top to bottom in 240 jumps. Each is run on the viewer and on a floor: the same box
  // cloned with plain one-text-node rows rewritten by hand on scroll (no React, no colours, no
  // links). The floor is what this browser on this machine needs to scroll and paint text at all,
  // in the same run; the viewer's figure means most next to it.
  const scroll = (target: 'viewer' | 'floor', step: number | 'drag') =>
    page.evaluate(
      async ([t, s]) => {
        let el = document.querySelector<HTMLElement>('[data-testid="log-scroll"]')!;
        const original = el;
        if (t === 'floor') {
          const clone = el.cloneNode(true) as HTMLElement;
          const box = clone.querySelector<HTMLElement>('[role=log] > div')!;
          const rows = [...box.children] as HTMLElement[];
          for (const r of rows) {
            r.className = '';
            r.style.cssText = 'height: 18px; white-space: pre';
            r.textContent = ' ';
          }
          clone.addEventListener('scroll', () => {
            const first = Math.max(0, Math.floor(clone.scrollTop / 18) - 4);
            box.style.transform = `translateY(${first * 18}px)`;
            rows.forEach(
              (r, k) =>
                (r.firstChild!.nodeValue = `${first + k + 1}  ${String(first + k + 1).padStart(7, '0')} compiling module-${first + k + 1}: src/components/widget-${(first + k + 1) % 97}.tsx ok`),
            );
          });
          original.after(clone);
          original.style.display = 'none';
          el = clone;
        }
        el.scrollTop = 0;
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const times: number[] = [];
        let last = performance.now();
        for (let i = 1; i <= 240; i += 1) {
          el.scrollTop = s === 'drag' ? ((el.scrollHeight - el.clientHeight) * i) / 240 : i * s;
          await new Promise((r) => requestAnimationFrame(r));
          const now = performance.now();
          times.push(now - last);
          last = now;
        }
        if (el !== original) {
          el.remove();
          original.style.display = '';
        }
        return times.sort((a, b) => a - b);
      },
      [target, step] as const,
    );
  const figure = (f: number[]) => `p50 ${percentile(f, 50).toFixed(1)} ms, p95 ${percentile(f, 95).toFixed(1)} ms`;
  for (const [name, step] of [
    ['slow wheel (60 px/frame)', 60],
    ['fast flick (800 px/frame)', 800],
    ['drag the scrollbar top→bottom', 'drag'],
  ] as const) {
    const viewer = await scroll('viewer', step);
    const floor = await scroll('floor', step);
    log(`  scroll, ${name}, 240 frames: viewer ${figure(viewer)} | floor ${figure(floor)} | viewer/floor p95 ${(percentile(viewer, 95) / percentile(floor, 95)).toFixed(2)}`);
  }

  // Viewer-only ingest: the page's event stream is replaced by one that hands the whole log over as
  // log.lines events of 1,000 lines, framed like the server's, each in its own task as fast as the
  // page takes them (as network chunks would arrive). The figure is event parse + de-duplicate +
  // render, without the engine and without the test harness's own transport (Playwright's
  // route.fulfill pushes the body through the debugging protocol, slower than the viewer).
  const quietId = await run(request, 'Bench quiet', 'sleep 120');
  const at = new Date().toISOString();
  const messages: Array<{ id: number; data: string }> = [];
  for (let k = 0; k * 1000 < allLines.length; k += 1) {
    const id = 1_000_000_000 + k;
    const data = { refId: 'job', firstSeq: k * 1000 + 1, lines: allLines.slice(k * 1000, (k + 1) * 1000) };
    messages.push({ id, data: JSON.stringify({ id, type: 'log.lines', application: 'storefront', executionId: quietId, at, data }) });
  }
  await page.addInitScript(
    ([feed, last, only]) => {
      if (!location.pathname.includes(only)) return;
      const w = window as unknown as { __fedAt: number; __doneAt: number; EventSource: typeof EventSource };
      const Real = w.EventSource;
      let used = false;
      class FeedingEventSource extends EventTarget {
        readyState = 0;
        onopen: ((e: Event) => void) | null = null;
        onerror: ((e: Event) => void) | null = null;
        constructor(readonly url: string) {
          super();
          if (used || !url.includes('/api/events')) return new Real(url) as unknown as FeedingEventSource;
          used = true;
          const channel = new MessageChannel();
          let next = 0;
          channel.port1.onmessage = () => {
            if (next === 0) {
              this.readyState = 1;
              this.onopen?.(new Event('open'));
              w.__fedAt = performance.now();
            }
            const m = feed[next++];
            if (!m) return;
            this.dispatchEvent(new MessageEvent('log.lines', { data: m.data, lastEventId: String(m.id) }));
            channel.port2.postMessage(0);
          };
          // Fed once the log view shows and has subscribed (its effects run after it is drawn), as
          // lines arriving before then would only be read back from the (empty) stored log.
          const start = () => (document.querySelector('[data-testid="log-scroll"]') ? setTimeout(() => channel.port2.postMessage(0), 50) : requestAnimationFrame(start));
          requestAnimationFrame(start);
          const done = () => (document.querySelector(`[data-line="${last}"]`) ? (w.__doneAt = performance.now()) : requestAnimationFrame(done));
          requestAnimationFrame(done);
        }
        close() {
          this.readyState = 2;
        }
      }
      w.EventSource = FeedingEventSource as unknown as typeof EventSource;
    },
    [messages, LINES, quietId] as const,
  );
  // Five loads of the page, each fed once: the first runs on a page whose code is still cold, so
  // the median is the figure (each is printed too).
  const viewerMb = messages.reduce((sum, m) => sum + Buffer.byteLength(m.data), 0) / 1024 / 1024;
  const runs: number[] = [];
  for (let k = 0; k < 5; k += 1) {
    await page.goto(`/applications/storefront/executions/${quietId}?stage=job`);
    await expect(lineCount(page)).toBeVisible({ timeout: 60_000 });
    await expect(page.locator(`[data-line="${LINES}"]`)).toBeVisible();
    runs.push(await page.evaluate(() => (window as unknown as { __doneAt: number }).__doneAt - (window as unknown as { __fedAt: number }).__fedAt));
  }
  const rate = (ms: number) => viewerMb / (ms / 1000);
  const median = [...runs].sort((a, b) => a - b)[2]!;
  log(
    `  viewer ingest (${messages.length} log.lines events, ${viewerMb.toFixed(1)} MB → last line drawn), median of 5: ${median.toFixed(0)} ms = ${rate(median).toFixed(1)} MB/s (each: ${runs.map((ms) => `${rate(ms).toFixed(1)}`).join(', ')} MB/s)`,
  );
});

// The live path on its own (`-g 'live log'` runs only this): job → engine → DB → SSE → viewer.
test('live log figures', async ({ page, request }) => {
  const mb = Buffer.byteLength((await import('node:child_process')).execSync(AWK, { shell: '/bin/sh', maxBuffer: 1024 * 1024 * 1024 }).toString()) / 1024 / 1024;
  // Live ingest: follow a job that prints the same lines as fast as it can.
  // The job waits until the page shows it waiting (BENCH_LIVE_DELAY s: more on a loaded machine, where the page may take longer).
  // Its first line is its clock (ms) as it starts printing: the end-to-end figure runs from there.
  const liveId = await run(request, 'Bench live', `sleep ${Number(process.env.BENCH_LIVE_DELAY ?? 2)}; date +%s%3N; ${AWK}`);
  const liveLines = LINES + 1;
  await page.goto(`/applications/storefront/executions/${liveId}?stage=job`);
  await expect(page.getByText('Waiting for output…')).toBeVisible({ timeout: 30_000 });
  // Both ends are noted in the page as the DOM changes: the first line drawn, and the last one
  // (following shows the end). Read after the fact, so the figure does not include how often the
  // test polls (Playwright's expect retries at up to 1 s intervals, which made a 0.5 s flood read as
  // 1 to 2 s).
  const liveStart = await page.evaluate(
    (last) =>
      new Promise<number>((resolve) => {
        const w = window as unknown as { __liveEnd?: number };
        let start: number | undefined;
        const obs = new MutationObserver(() => {
          // The first batch may be longer than the view, and following shows its end: any line counts.
          if (start === undefined && document.querySelector('[role="log"] [data-line]')) resolve((start = performance.now()));
          if (document.querySelector(`[role="log"] [data-line="${last}"]`)) {
            w.__liveEnd = performance.now();
            obs.disconnect();
          }
        });
        // Rows are reused as the view moves: a row becoming the last line is an attribute change.
        obs.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-line'] });
      }),
    liveLines,
  );
  // Waits on the page's own note of the last line, not on getByText: Playwright's text search walks
  // the whole page each poll, in the page's own thread, where it took ~10% of the flood's time (CPU
  // profile of the renderer during the window), as if a reader were running searches meanwhile.
  await page.waitForFunction(() => (window as unknown as { __liveEnd?: number }).__liveEnd !== undefined, null, { timeout: 180_000, polling: 250 });
  await expect(page.getByText(`${liveLines.toLocaleString('en')} lines`, { exact: true })).toBeVisible();
  await expect(page.locator(`[role="log"] [data-line="${liveLines}"]`)).toBeVisible();
  const polledMs = (await page.evaluate(() => performance.now())) - liveStart;
  const liveMs = (await page.evaluate(() => (window as unknown as { __liveEnd: number }).__liveEnd)) - liveStart;
  // From the job's first print to the last line drawn, on one clock (this machine's): first-to-last
  // drawn leaves out whatever came before the first draw, and when one draw holds nearly the whole
  // flood (a short one, or a page busy taking events in) it is a few ms and means nothing.
  const started = (await (await request.get(`/api/executions/${liveId}/logs?stage=job&limit=1`)).json()) as { lines: Array<{ line: string }> };
  const endAt = await page.evaluate(() => performance.timeOrigin + (window as unknown as { __liveEnd: number }).__liveEnd);
  const endToEndMs = endAt - Number(started.lines[0]!.line);
  log(
    `  live ingest while following: ${liveMs.toFixed(0)} ms = ${(mb / (liveMs / 1000)).toFixed(1)} MB/s first to last line drawn (job → engine → DB → SSE → viewer; ${polledMs.toFixed(0)} ms = ${(mb / (polledMs / 1000)).toFixed(1)} MB/s as the test's polling saw it)`,
  );
  log(`  live end to end: ${endToEndMs.toFixed(0)} ms = ${(mb / (endToEndMs / 1000)).toFixed(1)} MB/s from the job's first print to the last line drawn`);
  report({ id: 'logs.live-ingest', label: 'Live log end to end (job prints → engine → DB → SSE → viewer)', value: mb / (endToEndMs / 1000), unit: 'MB/s', goal: { min: 10 } });

  // Event-to-DOM: each line carries the job's clock (ms); the page notes when each appears.
  const clockId = await run(request, 'Bench clock', `for i in $(seq 1 100); do echo "clock $(date +%s%3N)"; sleep 0.05; done`);
  await page.goto(`/applications/storefront/executions/${clockId}?stage=job`);
  await expect(page.getByRole('status').filter({ hasText: /^Live$/ })).toBeVisible();
  const liveAt = await page.evaluate(() => performance.timeOrigin + performance.now());
  const delays = await page.evaluate(
    (since) =>
      new Promise<number[]>((resolve) => {
        const seen = new Set<string>();
        const out: number[] = [];
        const obs = new MutationObserver(() => {
          const now = performance.timeOrigin + performance.now();
          for (const el of document.querySelectorAll('[data-line]')) {
            const m = /clock (\d+)/.exec(el.textContent ?? '');
            if (m && !seen.has(m[1]!) && Number(m[1]) > since) {
              seen.add(m[1]!);
              out.push(now - Number(m[1]));
            }
          }
          if (document.querySelector('[data-line="100"]')) {
            obs.disconnect();
            resolve(out);
          }
        });
        obs.observe(document.body, { childList: true, subtree: true, characterData: true });
        setTimeout(() => resolve(out), 60_000);
      }),
    liveAt,
  );
  const sortedDelays = delays.sort((a, b) => a - b);
  log(
    `  job prints → line in DOM (${sortedDelays.length} lines printed after the page was live): p50 ${percentile(sortedDelays, 50).toFixed(0)} ms, p99 ${percentile(sortedDelays, 99).toFixed(0)} ms, max ${sortedDelays.at(-1)!.toFixed(0)} ms`,
  );
  report({ id: 'logs.print-to-dom-p99', label: 'Job prints → line in the DOM, p99', value: percentile(sortedDelays, 99), unit: 'ms', goal: { max: 1000 } });
  expect(sortedDelays.length).toBeGreaterThan(50);
});
