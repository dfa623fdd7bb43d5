import { DEFAULT_PROMETHEUS_QUERIES, fillQuery, type PrometheusSource } from '../../../shared/domain/account-metrics';
import { EngineError } from '../../errors';
import { type GroupTraffic, LATENCY_BUCKETS_MS } from '../load-balancer-proxy';

type QueryName = keyof typeof DEFAULT_PROMETHEUS_QUERIES;
interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

const causeOf = (err: unknown): string => {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const own = err instanceof Error ? err.message : String(err);
  return cause ? `${cause.code ?? ''}${cause.code && cause.message ? ': ' : ''}${cause.message ?? ''}` || own : own;
};

/**
 * Canary figures of a Kubernetes account from its Prometheus: per server group the cumulative
 * request and error counts and the latency histogram, in the shape Kiln's own balancer reports, so
 * the canary analysis judges both the same way. Any failure throws with Prometheus' own words: a
 * figure it could not give must fail the canary, never let it pass on zeros. The token goes only in
 * the Authorization header; no message carries it (the URL cannot hold a password: see PrometheusSourceInput).
 */
export function createPrometheusTraffic(options: { account: string; source: PrometheusSource; token?: string | undefined; timeoutMs?: number }) {
  const { account, source } = options;
  const base = source.url.replace(/\/+$/, '');
  const where = `account '${account}': Prometheus at ${base}`;

  const query = async (name: QueryName, group: { serverGroup: string; namespace: string }): Promise<Sample[]> => {
    const promql = fillQuery(source[name] ?? DEFAULT_PROMETHEUS_QUERIES[name], group);
    let res: Response;
    try {
      res = await fetch(`${base}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
        body: new URLSearchParams({ query: promql }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new EngineError('conflict', `${where} cannot be reached for the canary figures of '${group.serverGroup}': ${causeOf(err)}`, 'metrics.prometheus.url');
    }
    const text = await res.text();
    let body: { status?: string; error?: string; errorType?: string; data?: { resultType?: string; result?: unknown } } | undefined;
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Not Prometheus' JSON (a proxy's login page, say): its status is all there is to say.
    }
    if (body?.status === 'error' || !res.ok) {
      const said = body?.error ? `${body.error}${body.errorType ? ` (${body.errorType})` : ''}` : `HTTP ${res.status} ${res.statusText}`.trim();
      throw new EngineError('conflict', `${where} answered ${name} for '${group.serverGroup}' with an error: ${said}`, `metrics.prometheus.${name}`);
    }
    if (body?.status !== 'success' || body.data?.resultType !== 'vector' || !Array.isArray(body.data.result))
      throw new EngineError(
        'conflict',
        `${where} answered ${name} for '${group.serverGroup}' with a ${body?.data?.resultType ?? 'non-JSON'} result, not an instant vector: the query must give numbers per group now`,
        `metrics.prometheus.${name}`,
      );
    return body.data.result as Sample[];
  };

  const total = (samples: Sample[]) => samples.reduce((sum, s) => sum + (Number(s.value?.[1]) || 0), 0);

  /** A Prometheus histogram (cumulative counts by `le`, in seconds) into the balancer's buckets; each count lands in the first bucket whose bound is at least its `le`. */
  const toBuckets = (samples: Sample[]) => {
    const points = samples
      .map((s) => ({ leMs: s.metric.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.metric.le) * 1000, count: Number(s.value?.[1]) || 0 }))
      .filter((p) => !Number.isNaN(p.leMs))
      .sort((a, b) => a.leMs - b.leMs);
    const buckets = LATENCY_BUCKETS_MS.map(() => 0);
    // An upper bound of the latency sum (each request at its bucket's bound), as the figures shown are "≤".
    let latencyMsSum = 0;
    let below = 0;
    for (const p of points) {
      const n = Math.max(0, p.count - below);
      below = Math.max(below, p.count);
      const i = LATENCY_BUCKETS_MS.findIndex((bound) => bound >= p.leMs);
      buckets[i === -1 ? buckets.length - 1 : i]! += n;
      latencyMsSum += n * Math.min(p.leMs, 5000);
    }
    return { buckets, latencyMsSum };
  };

  return async (groups: Array<{ serverGroup: string; namespace: string }>): Promise<Record<string, GroupTraffic>> => {
    const entries = await Promise.all(
      groups.map(async (group) => {
        const [requests, errors, latency] = await Promise.all([query('requestsQuery', group), query('errorsQuery', group), query('latencyQuery', group)]);
        return [group.serverGroup, { requests: total(requests), errors: total(errors), ...toBuckets(latency) }] as const;
      }),
    );
    return Object.fromEntries(entries);
  };
}
