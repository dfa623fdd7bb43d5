import { Agent, request } from 'node:http';

export interface LoadReport {
  sent: number;
  ok: number;
  /** Connection errors, timeouts and 5xx answers. */
  failed: number;
  statuses: Record<string, number>;
  /** Answers per app version (the sample app's `x-app-version` header). */
  versions: Record<string, number>;
  /** The version of each answer in the order requests were sent (to see the switch). */
  timeline: string[];
  failures: string[];
  latencyMsP50: number;
  latencyMsP99: number;
}

/**
 * Steady HTTP load at a fixed rate against a base URL, cycling through paths, until stop().
 * Bounded: every request has a timeout and stop() waits for the ones in flight.
 */
export function startLoad(options: { url: string; rps: number; paths?: string[]; timeoutMs?: number }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const paths = options.paths ?? ['/'];
  const base = new URL(options.url);
  const report: LoadReport = { sent: 0, ok: 0, failed: 0, statuses: {}, versions: {}, timeline: [], failures: [], latencyMsP50: 0, latencyMsP99: 0 };
  const latencies: number[] = [];
  const pending = new Set<Promise<void>>();
  const started = Date.now();

  const one = (n: number) =>
    new Promise<void>((resolve) => {
      const t0 = Date.now();
      const slot = report.timeline.push('?') - 1;
      const fail = (why: string) => {
        report.failed += 1;
        report.timeline[slot] = 'failed';
        if (report.failures.length < 20) report.failures.push(why);
        resolve();
      };
      const req = request({ host: base.hostname, port: base.port, path: paths[n % paths.length], agent, timeout: options.timeoutMs ?? 5000 }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          report.statuses[status] = (report.statuses[status] ?? 0) + 1;
          latencies.push(Date.now() - t0);
          if (status >= 500) return fail(`HTTP ${status} for ${paths[n % paths.length]}`);
          const version = String(res.headers['x-app-version'] ?? 'none');
          report.ok += 1;
          report.versions[version] = (report.versions[version] ?? 0) + 1;
          report.timeline[slot] = version;
          resolve();
        });
        res.on('error', (err) => fail(err.message));
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err) => fail(err.message));
      req.end();
    });

  // A fixed schedule (not setInterval drift): request n goes out at started + n/rps.
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * options.rps);
    while (report.sent < due) {
      const p = one(report.sent);
      report.sent += 1;
      pending.add(p);
      void p.then(() => pending.delete(p));
    }
  }, 5);

  return {
    report,
    async stop(): Promise<LoadReport> {
      clearInterval(timer);
      await Promise.all(pending);
      agent.destroy();
      const sorted = [...latencies].sort((a, b) => a - b);
      report.latencyMsP50 = sorted[Math.floor(sorted.length * 0.5)] ?? 0;
      report.latencyMsP99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
      return report;
    },
  };
}

/** "v1×412 → v1/v2 mix → v2×388": the order versions answered in, run-length encoded. */
export function describeTimeline(timeline: readonly string[]): string {
  const runs: Array<[string, number]> = [];
  for (const v of timeline) {
    const last = runs.at(-1);
    if (last && last[0] === v) last[1] += 1;
    else runs.push([v, 1]);
  }
  return runs.length > 12 ? `${runs.length} runs, first ${runs[0]?.join('×')}, last ${runs.at(-1)?.join('×')}` : runs.map(([v, n]) => `${v}×${n}`).join(' → ');
}

/**
 * Traffic moved from `from` to `to` in steps, not at once: after the first answer of `to`, `from`
 * still answered for more than `overlap` requests (the mix of the steps), and `to` answered last.
 */
export function shiftedInSteps(timeline: readonly string[], from = 'v1', to = 'v2', overlap = 100): boolean {
  const firstNew = timeline.indexOf(to);
  return firstNew > 0 && timeline.lastIndexOf(from) > firstNew + overlap && timeline.at(-1) === to;
}
