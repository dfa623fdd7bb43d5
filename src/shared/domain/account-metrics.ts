import { z } from 'zod';
import { Timestamp } from './ids';

/**
 * Where a Kubernetes account's canary figures come from: a Service counts no requests per server
 * group, so Kiln asks the Prometheus that scrapes the pods (as Spinnaker's Kayenta does). The queries
 * are PromQL templates; Kiln fills `${serverGroup}` and `${namespace}` from the ReplicaSet's labels.
 */
export const PROMETHEUS_PLACEHOLDERS = ['${serverGroup}', '${namespace}'] as const;

/**
 * The usual client-library counters, with Prometheus' Kubernetes discovery mapping pod labels the
 * common way (`labelmap: __meta_kubernetes_pod_label_(.+)`), so `kiln.io/server-group` becomes
 * `kiln_io_server_group`. Each answers one number per group: cumulative since the pods started.
 */
export const DEFAULT_PROMETHEUS_QUERIES = {
  requestsQuery: 'sum(http_requests_total{namespace="${namespace}",kiln_io_server_group="${serverGroup}"})',
  errorsQuery: 'sum(http_requests_total{namespace="${namespace}",kiln_io_server_group="${serverGroup}",code=~"5.."})',
  /** A histogram's buckets by `le` (seconds): the latency figures are read from it. */
  latencyQuery: 'sum by (le) (http_request_duration_seconds_bucket{namespace="${namespace}",kiln_io_server_group="${serverGroup}"})',
} as const;

const query = (name: string) =>
  z
    .string()
    .trim()
    .min(1, `${name} must not be empty`)
    .max(2000)
    // Without the group's name every group would get the same figures, and the canary would pass against itself.
    .refine((q) => q.includes('${serverGroup}'), `${name} must name the server group with \${serverGroup}`)
    .refine((q) => !/\$\{(?!serverGroup\}|namespace\})/.test(q), `${name} may only use the placeholders \${serverGroup} and \${namespace}`);

const PrometheusUrl = z
  .string()
  .trim()
  .max(500)
  // Host characters only before the path: a `user:password@` would put a secret where the account is shown.
  .regex(/^https?:\/\/[A-Za-z0-9.[\]:-]+(\/[^\s@]*)?$/, 'the Prometheus URL must be http:// or https:// with no user or password in it (give a token instead)');

/** What an admin sends: the token is written, never read back. */
export const PrometheusSourceInput = z.object({
  url: PrometheusUrl,
  /** A bearer token for a Prometheus behind an authenticating proxy; null removes it, absent keeps it. */
  token: z.string().min(1, 'a token must not be empty').max(5_000).nullable().optional(),
  requestsQuery: query('requestsQuery').optional(),
  errorsQuery: query('errorsQuery').optional(),
  latencyQuery: query('latencyQuery').optional(),
});
export type PrometheusSourceInput = z.infer<typeof PrometheusSourceInput>;

export const AccountMetricsInput = z.object({ prometheus: PrometheusSourceInput });
export type AccountMetricsInput = z.infer<typeof AccountMetricsInput>;

/** What is stored and shown: the token only as who set it and when. */
export const PrometheusSource = PrometheusSourceInput.omit({ token: true }).extend({ token: z.object({ setAt: Timestamp, setBy: z.string() }).optional() });
export type PrometheusSource = z.infer<typeof PrometheusSource>;

export const AccountMetrics = z.object({ prometheus: PrometheusSource });
export type AccountMetrics = z.infer<typeof AccountMetrics>;

/** A query template with the group's namespace and name filled in (both are DNS labels, so nothing needs escaping). */
export function fillQuery(template: string, group: { serverGroup: string; namespace: string }): string {
  return template.replaceAll('${serverGroup}', group.serverGroup).replaceAll('${namespace}', group.namespace);
}
