import { z } from 'zod';

/** The image a server group was launched from; the image registry (bakery) owns the full record. */
export const ImageRef = z.object({
  name: z.string().min(1).max(128),
  version: z.string().min(1).max(64),
  /** Content address of the artifact (sha256), when known. */
  digest: z
    .string()
    .regex(/^sha256:[a-f0-9]{64}$/)
    .optional(),
});
export type ImageRef = z.infer<typeof ImageRef>;

/** A version of an image in the registry: v1, v2, … per name. */
/**
 * What an instance may use, from a recipe's `run.resources`: `cpu` in cores (0.5 is half a core,
 * millicore precision as Kubernetes counts), `memoryMiB` in MiB. Each provider honours it its own way
 * (pod requests and limits, a container's NanoCpus/Memory, a VM's -smp/-m); the local cloud cannot.
 */
export const RunResources = z.strictObject({
  cpu: z
    .number('cpu must be a number of cores, e.g. 0.5')
    .positive('cpu must be more than 0 cores, e.g. 0.5')
    .max(256, 'cpu must be at most 256 cores')
    .refine((n) => Math.abs(n * 1000 - Math.round(n * 1000)) < 1e-6, 'cpu is counted in thousandths of a core (0.001)')
    .optional(),
  memoryMiB: z
    .number('memoryMiB must be a whole number of MiB, e.g. 256')
    .int('memoryMiB must be a whole number of MiB, e.g. 256')
    .min(16, 'memoryMiB must be at least 16')
    .max(4 * 1024 * 1024, 'memoryMiB must be at most 4194304 (4 TiB)')
    .optional(),
});
export type RunResources = z.infer<typeof RunResources>;

/** `0.5 CPU, 256 MiB`, what a recipe asked for, in the words the dashboard and the logs use. */
export function describeResources(r: RunResources): string {
  const parts = [r.cpu !== undefined ? `${r.cpu} CPU` : undefined, r.memoryMiB !== undefined ? `${r.memoryMiB} MiB` : undefined].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no limits';
}

/** How an image runs, from its recipe's `run`; `user` is kept since Kubernetes pods carry it (older images lack it and `resources`). */
export const ImageRun = z.object({ entrypoint: z.string(), healthPath: z.string(), user: z.string().optional(), resources: RunResources.optional() });
export type ImageRun = z.infer<typeof ImageRun>;

export const ImageVersionLabel = z.string().regex(/^v[1-9][0-9]*$/, "version must look like 'v3'");

export const ChannelName = z
  .string()
  .min(1, 'channel must not be empty')
  .max(40, 'channel must be at most 40 characters')
  .regex(/^[a-z0-9][a-z0-9-]*$/, "channel must be lowercase letters, digits or '-', like 'production'");

/** Why an image may not be deployed; scheduled when `at` is in the future; inherited from an ancestor when `from` is set. */
export const Revocation = z.object({
  at: z.iso.datetime({ offset: true }),
  reason: z.string(),
  by: z.string(),
  /** `name:vN` of the revoked ancestor this revocation spreads from; absent on the image itself. */
  from: z.string().optional(),
});
export type Revocation = z.infer<typeof Revocation>;

/** One layer of an OCI image as the registry lists it: compressed digest and size, and what made it. */
export const ImageLayer = z.object({
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  createdBy: z.string(),
});
export type ImageLayer = z.infer<typeof ImageLayer>;

export const BuildMetadata = z.object({
  builder: z.enum(['bundle', 'disk', 'oci', 'packer']),
  /** Tool name → version line, e.g. `mke2fs: 1.47.0`. */
  tools: z.record(z.string(), z.string()).default({}),
  git: z.object({ commit: z.string().max(64).optional(), ref: z.string().max(256).optional() }).optional(),
  ciRunUrl: z.string().max(2000).optional(),
  /** The CI build that produced what was baked (a Jenkins stage's or the trigger's build number). */
  buildNumber: z.number().int().nonnegative().optional(),
  /** The execution and stage that baked it, when a pipeline did. */
  executionId: z.string().optional(),
  stageRefId: z.string().optional(),
  durationMs: z.number().int().nonnegative().optional(),
  packages: z.array(z.string()).default([]),
  /** OCI images: the layers, base first (a multi-stage image has one per copy from a build stage). */
  layers: z.array(ImageLayer).optional(),
  /** Multi-stage recipes: each build stage's cache key; the stage cache keeps what the newest version of a recipe used. */
  stages: z.array(z.object({ name: z.string(), key: z.string().regex(/^[a-f0-9]{64}$/) })).optional(),
});
export type BuildMetadata = z.infer<typeof BuildMetadata>;

export const ImageVersion = z.object({
  id: z.uuid(),
  name: z.string(),
  version: ImageVersionLabel,
  createdAt: z.iso.datetime({ offset: true }),
  recipe: z.object({ id: z.uuid(), name: z.string(), revision: z.number().int().positive() }).optional(),
  build: BuildMetadata,
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  format: z.enum(['bundle', 'disk', 'oci']),
  /** File name of the compressed artifact in Kiln's data dir (content-addressed). */
  artifact: z.string(),
  parent: z.object({ id: z.uuid(), ref: z.string() }).optional(),
  run: ImageRun.optional(),
  /** The image's own revocation, or the nearest revoked ancestor's (scheduled ones included). */
  revocation: Revocation.optional(),
  /** True once a revocation has taken effect (not merely scheduled). */
  revoked: z.boolean(),
  /** Set when an admin lifted this version's revocation: why, and the revocation lifted. */
  restoration: z.object({ at: z.iso.datetime({ offset: true }), reason: z.string(), by: z.string(), lifted: Revocation.omit({ from: true }) }).optional(),
  /** Built on a parent version that is no longer the newest: a rebake would take the newer one. */
  staleParent: z.object({ parent: z.string(), newest: z.string() }).optional(),
  channels: z.array(ChannelName).default([]),
});
export type ImageVersion = z.infer<typeof ImageVersion>;

export const ChannelAssignment = z.object({
  channel: ChannelName,
  version: ImageVersionLabel,
  at: z.iso.datetime({ offset: true }),
  by: z.string(),
  /** The version the channel pointed at before, if any. */
  previous: ImageVersionLabel.optional(),
});
export type ChannelAssignment = z.infer<typeof ChannelAssignment>;

export const ImageSummary = z.object({
  name: z.string(),
  versions: z.number().int().nonnegative(),
  latest: ImageVersion,
  channels: z.record(z.string(), ImageVersionLabel),
});
export type ImageSummary = z.infer<typeof ImageSummary>;

/** Where a version runs: one row per server group launched from it. */
export const ImageUsage = z.object({
  version: ImageVersionLabel,
  application: z.string(),
  account: z.string(),
  region: z.string(),
  cluster: z.string(),
  serverGroup: z.string(),
  instances: z.number().int().nonnegative(),
  /** Out of its load balancers: its instances run but serve no traffic. */
  disabled: z.boolean(),
  /** When the group runs an image built on this one: that image, `name:vN`. */
  through: z.string().optional(),
});
export type ImageUsage = z.infer<typeof ImageUsage>;

/** An image version pushed to a registry: what a cluster pulls it by (`repository@digest`), digest of the manifest. */
export const ImagePush = z.object({
  name: z.string(),
  version: z.string(),
  /** The registry as the account names it, e.g. `registry.example.com/team`. */
  registry: z.string(),
  /** `host[:port]/path/name`, without tag or digest. */
  repository: z.string(),
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/),
  pushedAt: z.iso.datetime({ offset: true }),
});
export type ImagePush = z.infer<typeof ImagePush>;

export const ImageDetail = z.object({
  name: z.string(),
  versions: z.array(ImageVersion),
  channels: z.record(z.string(), ImageVersionLabel),
  history: z.array(ChannelAssignment),
  /** Each version's ancestors, nearest first, as `name:vN` with its revocation state. */
  ancestry: z.record(z.string(), z.array(z.object({ ref: z.string(), revoked: z.boolean() }))),
  usage: z.array(ImageUsage),
  /** Where each version was pushed (registry, repository, manifest digest, when), newest first. No credentials: the table holds none. */
  pushes: z.array(ImagePush).default([]),
});
export type ImageDetail = z.infer<typeof ImageDetail>;
