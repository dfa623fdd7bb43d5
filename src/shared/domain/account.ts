import { z } from 'zod';
import { AccountName, RegionName, Timestamp } from './ids';
import { AccountMetrics } from './account-metrics';

/**
 * Where server groups run: `local` is Kiln's own cloud on this machine; `docker` is a Docker Engine
 * API (Docker or Podman); `kubernetes` a cluster (experimental: tested against a simulated API
 * server); the others are adapters to come and cannot be created yet.
 */
export const CloudProvider = z.enum(['local', 'docker', 'qemu', 'aws', 'gce', 'kubernetes']);
export type CloudProvider = z.infer<typeof CloudProvider>;

/** The providers an admin can create an account for today. */
export const AccountProvider = z.enum(['local', 'docker', 'qemu', 'kubernetes'], { error: "provider must be 'local', 'docker', 'qemu' or 'kubernetes'" });
export type AccountProvider = z.infer<typeof AccountProvider>;

export const Environment = z.enum(['prod', 'staging', 'test', 'dev', 'other']);
export type Environment = z.infer<typeof Environment>;

// unix:///path/to.sock or tcp://host:port (Docker's own DOCKER_HOST forms); http(s):// is accepted as TCP.
const DOCKER_HOST = /^(unix:\/\/\/[^\s\0]+|(tcp|http|https):\/\/[A-Za-z0-9.[\]:-]+:\d{1,5}\/?)$/;
export const DockerHost = z.string().trim().max(500).regex(DOCKER_HOST, 'docker host must be unix:///path/to/docker.sock or tcp://host:port');

/** How Kiln reaches the account's engine; nothing here is secret. */
export const AccountEndpoint = z.object({
  dockerHost: DockerHost.optional(),
  /** Kubernetes: a kubeconfig file on the Kiln server (or an inline one in the credentials). */
  kubeconfigPath: z.string().trim().min(1).max(1000).optional(),
  /** Kubernetes: the kubeconfig context to use; its current context when absent. */
  context: z.string().trim().min(1).max(253).optional(),
  /** Kubernetes: the registry the cluster pulls from, e.g. `registry.example.com/team`; images run as `<registry>/<name>:<version>`. */
  registry: z
    .string()
    .trim()
    .max(500)
    .regex(/^[a-z0-9.-]+(:\d{1,5})?(\/[a-z0-9._-]+)*$/, 'registry must look like registry.example.com/team')
    .optional(),
  /** Speak TLS to a tcp:// host (Docker's DOCKER_TLS_VERIFY); the CA certificate is public. */
  tls: z.boolean().optional(),
  tlsCaCert: z.string().max(20_000).optional(),
});
export type AccountEndpoint = z.infer<typeof AccountEndpoint>;

/**
 * Secrets (a TLS client certificate and key, a token): written, never read back. What is shown is
 * only who set them and when, like webhook secrets.
 */
export const AccountCredentials = z.object({
  tlsCert: z.string().max(20_000).optional(),
  tlsKey: z.string().max(20_000).optional(),
  token: z.string().max(5_000).optional(),
  /** Kubernetes: an inline kubeconfig (YAML), which holds the cluster's credentials. */
  kubeconfig: z.string().max(100_000).optional(),
  /** Kubernetes: how the cluster pulls from the account's registry. */
  registryUsername: z.string().max(500).optional(),
  registryPassword: z.string().max(5_000).optional(),
  /** Kubernetes: the bearer token of the account's Prometheus (metrics.prometheus). */
  prometheusToken: z.string().max(5_000).optional(),
});
export type AccountCredentials = z.infer<typeof AccountCredentials>;

export const CredentialsStamp = z.object({ setAt: Timestamp, setBy: z.string() });
export type CredentialsStamp = z.infer<typeof CredentialsStamp>;

export const Account = z.object({
  name: AccountName,
  provider: CloudProvider,
  environment: Environment,
  regions: z.array(RegionName).min(1),
  demo: z.boolean(),
  /** A disabled account takes no new deploys; what already runs there keeps running. */
  disabled: z.boolean().default(false),
  endpoint: AccountEndpoint.default({}),
  /** Present when credentials are stored; the credentials themselves never leave the server. */
  credentials: CredentialsStamp.optional(),
  /** Kubernetes: where canary analysis reads each server group's requests, errors and latency. */
  metrics: AccountMetrics.optional(),
});
export type Account = z.infer<typeof Account>;

/** An account's reachability, checked on demand by really calling its engine. */
export const AccountHealth = z.discriminatedUnion('status', [
  z.object({ status: z.literal('reachable'), version: z.string(), checkedAt: Timestamp }),
  z.object({ status: z.literal('unreachable'), reason: z.string(), checkedAt: Timestamp }),
]);
export type AccountHealth = z.infer<typeof AccountHealth>;

/** The one sentence shown for a health result (dashboard, CLI, deploy failures). */
export const describeHealth = (h: AccountHealth): string => (h.status === 'reachable' ? `reachable, engine ${h.version}` : `unreachable: ${h.reason}`);
