import { z } from 'zod';
import { IntentHostname } from './intent';

/**
 * Kiln's instance metadata protocol: the agent-less "report ready" handshake of seed 003 (Azure's
 * WireServer goal state + health report, and IMDS for the VM name), reduced to JSON over HTTP so
 * a POSIX sh script with curl or wget can speak it. The first-boot agent (first-boot-agent.ts) is
 * the client; Kiln's metadata service (engine/cloud/metadata-service.ts) is the server, and the two
 * are tested against each other. An instance that never reports Ready is, as on Azure, failed.
 *
 * Base URL: one per instance, holding an unguessable token, e.g. `http://127.0.0.1:PORT/v1/<token>`
 * on the host; a VM sees it as `http://10.0.2.100/v1/<token>` (guestMetadataUrl). No trailing slash.
 * The agent finds it on the kernel command line (`kiln.metadata=<url>`), else in an SMBIOS type 11
 * OEM string (`io.kiln.metadata=<url>`), else in KILN_METADATA_URL, else the URL baked into the image.
 *
 * The goal-state calls carry `Metadata: true` (as Azure IMDS requires, so that a request forwarded by
 * some proxy, which would not add it, is refused with 400) and `X-Kiln-Agent: kiln-report-ready/1`.
 *
 *   GET  {base}/goalstate           200 GoalState, e.g. {"containerId":"web-v001","instanceId":"i-abc123","incarnation":1}
 *        (the agent also reads Azure-style XML: <ContainerId>, <InstanceId>, <Incarnation>)
 *   GET  {base}/instance/hostname   200 text/plain, one line; 404 when the platform does not name the instance
 *   POST {base}/health              body HealthReport, e.g. {…goal state…,"state":"Ready"}
 *        or {…,"state":"NotReady","reason":"cloud-init: error"}; 200 HealthAck when recorded;
 *        400 malformed or another instance's ids; 409 a stale incarnation (final for this boot).
 *   GET  {base}/user-data  {base}/meta-data  {base}/vendor-data   cloud-init NoCloud over HTTP
 *        (`ds=nocloud;s={base}/`); cloud-init sends no custom header, so these need none.
 *   GET  {base}/ignition            the Ignition config (Flatcar: `ignition.config.url={base}/ignition`);
 *        404 when the instance has none. No header needed either (Ignition sends none).
 *   Without `Metadata: true`, goalstate/hostname/health answer 400. Any 429 or 5xx is transient: the
 *   agent retries with bounded exponential back-off; any other 4xx is final.
 */
export const METADATA_PATHS = {
  goalState: '/goalstate',
  hostname: '/instance/hostname',
  health: '/health',
  userData: '/user-data',
  metaData: '/meta-data',
  vendorData: '/vendor-data',
  ignition: '/ignition',
} as const;

export const METADATA_HEADERS = {
  metadata: { name: 'Metadata', value: 'true' },
  agent: { name: 'X-Kiln-Agent', value: 'kiln-report-ready/1' },
} as const;

/** Where a guest finds its base URL: the kernel command line word and the SMBIOS type 11 OEM string prefix. */
export const KERNEL_ARG = 'kiln.metadata';
export const SMBIOS_OEM_KEY = 'io.kiln.metadata';

/** The cloud-like address a VM reaches Kiln's metadata service at (QEMU user networking forwards it). */
export const GUEST_METADATA_ADDRESS = '10.0.2.100';

/**
 * The base URL a VM uses for a host URL from the metadata service's `register`: the same path on
 * the fixed guest address, port 80 (the provider's guestfwd). Only loopback URLs are rewritten.
 */
export function guestMetadataUrl(hostUrl: string): string {
  const match = /^http:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?(\/.*)?$/.exec(hostUrl);
  if (!match) throw new Error(`not a loopback metadata URL: ${hostUrl}`);
  return `http://${GUEST_METADATA_ADDRESS}${match[1] ?? ''}`;
}

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

/** Why provisioning failed, as the agent can build it in sh: printable, no quotes or backslashes. */
export const FailureReason = z
  .string()
  .min(1)
  .max(500)
  .refine((s) => [...s].every((c) => c >= ' ' && c !== '"' && c !== '\\' && c !== '\u007f'), 'must be printable text without quotes or backslashes');

export const HealthReport = z.discriminatedUnion('state', [
  GoalState.extend({ state: z.literal('Ready') }),
  GoalState.extend({ state: z.literal('NotReady'), reason: FailureReason }),
]);
export type HealthReport = z.infer<typeof HealthReport>;

export const HealthAck = z.object({ ok: z.literal(true) });
export type HealthAck = z.infer<typeof HealthAck>;
