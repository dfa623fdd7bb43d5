import { z } from 'zod';
import { IntentHostname } from './intent';

/**
 * Kiln's instance metadata protocol: the agent-less "report ready" handshake of seed 003 (Azure's
 * WireServer goal state + health report, and IMDS for the VM name), reduced to JSON over HTTP so
 * a POSIX sh script with curl or wget can speak it. The first-boot agent (first-boot-agent.ts) is
 * the client; the local cloud's metadata service implements the server side of exactly these
 * schemas. An instance that never reports Ready is, as on Azure, considered failed.
 *
 * Base URL: chosen per cloud and baked into the image, e.g. `http://169.254.169.254/kiln/v1`, or
 * the local cloud's loopback `http://127.0.0.1:<port>/metadata/v1`. No trailing slash.
 *
 * Every request carries `Metadata: true` (as Azure IMDS requires, so that a request forwarded by
 * some proxy, which would not add it, is refused with 400) and `X-Kiln-Agent: kiln-report-ready/1`
 * (as the seed's `x-ms-agent-name`), for the server's log.
 *
 *   GET  {base}/goalstate
 *        200 application/json GoalState, e.g. {"containerId":"c-1","instanceId":"i-abc123","incarnation":1}
 *        The agent also reads Azure-style XML (<ContainerId>, <InstanceId>, <Incarnation> elements),
 *        so a WireServer-like server works unchanged.
 *   GET  {base}/instance/hostname
 *        200 text/plain: the hostname, one line (trailing newline allowed); 404 when the platform
 *        does not name the instance (the agent then keeps the image's hostname).
 *   POST {base}/health    Content-Type: application/json, body HealthReport
 *        e.g. {"containerId":"c-1","instanceId":"i-abc123","incarnation":1,"state":"Ready"}
 *        200 HealthAck when recorded; 400 malformed; 409 the incarnation is not the current one
 *        (final for this boot: the unit fails and, with no done-marker, runs again next boot).
 *   Any 429 or 5xx is transient: the agent retries with exponential back-off, bounded.
 */
export const METADATA_PATHS = {
  goalState: '/goalstate',
  hostname: '/instance/hostname',
  health: '/health',
} as const;

export const METADATA_HEADERS = {
  metadata: { name: 'Metadata', value: 'true' },
  agent: { name: 'X-Kiln-Agent', value: 'kiln-report-ready/1' },
} as const;

/**
 * Ids travel through a shell script and into JSON built with printf, so the alphabet is closed:
 * no quotes, spaces or `$`. Kiln instance ids (`i-…`) and Azure's (`<uuid>._<name>`) both fit.
 */
export const MetadataToken = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'");

/** Bumped by the platform whenever the instance's goal state changes; a report names the one it answers. */
export const Incarnation = z.number().int().min(0).max(999_999_999);

export const GoalState = z.object({
  containerId: MetadataToken,
  instanceId: MetadataToken,
  incarnation: Incarnation,
});
export type GoalState = z.infer<typeof GoalState>;

/** The body of GET {base}/instance/hostname, after trimming the trailing newline. */
export const InstanceHostname = IntentHostname;

export const HealthReport = z.object({
  containerId: MetadataToken,
  instanceId: MetadataToken,
  incarnation: Incarnation,
  state: z.literal('Ready'),
});
export type HealthReport = z.infer<typeof HealthReport>;

export const HealthAck = z.object({ ok: z.literal(true) });
export type HealthAck = z.infer<typeof HealthAck>;
