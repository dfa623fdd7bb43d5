import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_MS, type GroupTraffic } from './load-balancer-proxy';
import { judgeCanary, windowOf } from './traffic-analysis';

/** Cumulative traffic with `n` requests at each of the given latencies (ms). */
function traffic(samples: Array<[ms: number, n: number]>, errors = 0): GroupTraffic {
  const buckets = LATENCY_BUCKETS_MS.map(() => 0);
  let requests = 0;
  let sum = 0;
  for (const [ms, n] of samples) {
    buckets[LATENCY_BUCKETS_MS.findIndex((b) => ms <= b)]! += n;
    requests += n;
    sum += ms * n;
  }
  return { requests, errors, latencyMsSum: sum, buckets };
}
const limits = { maxErrorRateIncrease: 1, maxLatencyIncreasePct: 50, minRequests: 50 };

describe('canary judgment', () => {
  it('measures only the window between two snapshots', () => {
    const before = traffic([[3, 100]], 0);
    const after = traffic(
      [
        [3, 150],
        [80, 50],
      ],
      20,
    );
    expect(windowOf(before, after)).toEqual({ requests: 100, errors: 20, errorRatePct: 20, p50Ms: 5, p95Ms: 100, meanMs: 41.5 });
  });

  it('fails a canary whose error rate is above the baseline’s by more than allowed, with the numbers', () => {
    const v = judgeCanary(windowOf(undefined, traffic([[3, 200]], 30)), windowOf(undefined, traffic([[3, 800]], 0)), limits);
    expect(v.pass).toBe(false);
    expect(v.reasons).toEqual(['error rate 15% vs baseline 0% (allowed: +1 points)']);
    expect(v.summary).toContain('canary: 200 requests, 30 errors (15%)');
  });

  it('fails a slower canary on its median, not on a few slow requests in the tail', () => {
    const base = windowOf(undefined, traffic([[3, 800]]));
    const tail = judgeCanary(
      windowOf(
        undefined,
        traffic([
          [3, 90],
          [600, 10],
        ]),
      ),
      base,
      limits,
    );
    expect(tail.pass).toBe(true);
    const slow = judgeCanary(windowOf(undefined, traffic([[90, 100]])), base, limits);
    expect(slow.reasons).toEqual(['median latency ≤100 ms vs baseline ≤5 ms (allowed: +50%)']);
  });

  it('fails a canary that saw too little traffic to judge', () => {
    const v = judgeCanary(windowOf(undefined, traffic([[3, 10]])), windowOf(undefined, traffic([[3, 800]])), limits);
    expect(v.reasons).toEqual(['only 10 requests reached the canary (at least 50 are needed to judge)']);
  });
});
