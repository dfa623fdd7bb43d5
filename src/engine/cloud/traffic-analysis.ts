import { LATENCY_BUCKETS_MS, type GroupTraffic } from './load-balancer-proxy';

/** One group's traffic in a window between two cumulative snapshots. */
export interface WindowTraffic {
  requests: number;
  errors: number;
  /** Percent of requests that failed (5xx or no answer). */
  errorRatePct: number;
  /** Upper bounds of the latency buckets holding the median and the 95th percentile, in ms. */
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
}

const EMPTY: GroupTraffic = { requests: 0, errors: 0, latencyMsSum: 0, buckets: LATENCY_BUCKETS_MS.map(() => 0) };

export function windowOf(before: GroupTraffic | undefined, after: GroupTraffic | undefined): WindowTraffic {
  const a = before ?? EMPTY;
  const b = after ?? EMPTY;
  const requests = b.requests - a.requests;
  const errors = b.errors - a.errors;
  const buckets = b.buckets.map((n, i) => n - (a.buckets[i] ?? 0));
  const percentile = (q: number) => {
    let seen = 0;
    for (let i = 0; i < buckets.length; i += 1) {
      seen += buckets[i] ?? 0;
      if (requests > 0 && seen >= requests * q) return Math.min(LATENCY_BUCKETS_MS[i] ?? 0, 5000);
    }
    return 0;
  };
  return {
    requests,
    errors,
    errorRatePct: requests === 0 ? 0 : Math.round((errors / requests) * 10_000) / 100,
    p50Ms: percentile(0.5),
    p95Ms: percentile(0.95),
    meanMs: requests === 0 ? 0 : Math.round(((b.latencyMsSum - a.latencyMsSum) / requests) * 10) / 10,
  };
}

export interface CanaryVerdict {
  pass: boolean;
  reasons: string[];
  summary: string;
}

/** Compares canary with baseline over the same window; every reason carries the numbers. */
export function judgeCanary(
  canary: WindowTraffic,
  baseline: WindowTraffic,
  limits: { maxErrorRateIncrease: number; maxLatencyIncreasePct: number; minRequests: number },
): CanaryVerdict {
  const reasons: string[] = [];
  if (canary.requests < limits.minRequests) {
    reasons.push(`only ${canary.requests} requests reached the canary (at least ${limits.minRequests} are needed to judge)`);
  }
  if (canary.errorRatePct > baseline.errorRatePct + limits.maxErrorRateIncrease) {
    reasons.push(`error rate ${canary.errorRatePct}% vs baseline ${baseline.errorRatePct}% (allowed: +${limits.maxErrorRateIncrease} points)`);
  }
  // The median, not the tail: a pause of Kiln's own event loop (which runs the balancer) lands a few
  // requests of either group in the tail, and with a small canary that alone would fail it.
  const latencyLimit = Math.max(baseline.p50Ms * (1 + limits.maxLatencyIncreasePct / 100), baseline.p50Ms + 20);
  if (canary.requests > 0 && canary.p50Ms > latencyLimit) {
    reasons.push(`median latency ≤${canary.p50Ms} ms vs baseline ≤${baseline.p50Ms} ms (allowed: +${limits.maxLatencyIncreasePct}%)`);
  }
  const summary =
    `canary: ${canary.requests} requests, ${canary.errors} errors (${canary.errorRatePct}%), median ≤${canary.p50Ms} ms, p95 ≤${canary.p95Ms} ms; ` +
    `baseline: ${baseline.requests} requests, ${baseline.errors} errors (${baseline.errorRatePct}%), median ≤${baseline.p50Ms} ms, p95 ≤${baseline.p95Ms} ms`;
  return { pass: reasons.length === 0, reasons, summary };
}
