import { z } from 'zod';
import { Timestamp } from './ids';
import { RunResources } from './image';
import { IntentFile, IntentHostname, IntentUnit, IntentUser } from '../provisioning/intent';
import { VmBoot } from '../provisioning/vm-boot';

/** Image and recipe names: lowercase, used in `name:vN` references and URLs. */
export const ImageName = z
  .string()
  .min(1, 'image name must not be empty')
  .max(63, 'image name must be at most 63 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "image name must be lowercase letters, digits, '.', '_' or '-'");

export const RecipeId = z.uuid('recipe id must be a UUID');

/**
 * A path inside the image. Absolute (`/opt/app`) or relative to the image root; never a `..`
 * segment, so `../../etc/passwd` cannot reach outside the root being built.
 */
export const ImagePath = z
  .string()
  .min(1, 'path must not be empty')
  .max(1024, 'path must be at most 1024 characters')
  .refine((p) => !p.includes('\0'), 'path must not contain NUL')
  .refine((p) => !p.split('/').includes('..'), "path must not contain '..' (it would leave the image root)");

/** A path on the machine running Kiln (what a file provisioner copies from). */
export const HostPath = z
  .string()
  .min(1, 'path must not be empty')
  .max(4096)
  .refine((p) => p.startsWith('/'), 'host paths must be absolute')
  .refine((p) => !p.split('/').includes('..'), "path must not contain '..'");

/** An image reference: `name:vN` (a version) or `name@channel` (what a channel points at now). */
export const ImageSelector = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*(:v[1-9][0-9]*|@[a-z0-9][a-z0-9-]*)$/, "image must be 'name:vN' or 'name@channel', e.g. 'base:v3' or 'base@production'");

export const RecipeBase = z.discriminatedUnion('type', [
  /** An empty root: the provisioners and the artifact make the whole image. */
  z.strictObject({ type: z.literal('scratch') }),
  /** Another Kiln bundle image: its root is the starting point, and it becomes the parent. */
  z.strictObject({ type: z.literal('image'), image: ImageSelector }),
  z.strictObject({ type: z.literal('directory'), path: HostPath }),
  z.strictObject({ type: z.literal('tarball'), path: HostPath }),
  /** Bootstrapped with mmdebstrap (Debian package mmdebstrap); needs user namespaces. */
  z.strictObject({
    type: z.literal('debian'),
    suite: z.string().regex(/^[a-z]+$/, 'suite must be a Debian suite name such as bookworm'),
    mirror: z.url().optional(),
    /** mmdebstrap's variant: minbase (default: essential + apt), apt, or essential (no apt). */
    variant: z.enum(['minbase', 'apt', 'essential']).optional(),
  }),
]);
export type RecipeBase = z.infer<typeof RecipeBase>;

/** The seed's "support" packages, recorded into every image unless a recipe says otherwise. */
export const SUPPORT_PACKAGES = ['iotop', 'mtr-tiny', 'sysstat'] as const;
const PackageName = z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, 'package names are Debian package names (lowercase, digits, + . -)');

export const Provisioner = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('file'),
    source: HostPath,
    destination: ImagePath,
    mode: z.number().int().min(0).max(0o7777).optional(),
  }),
  z.strictObject({
    type: z.literal('shell'),
    name: z.string().max(100).optional(),
    /** Run by /bin/sh -e with the image root as working directory and IMAGE_ROOT set to it. */
    script: z
      .string()
      .min(1, 'script must not be empty')
      .max(64 * 1024),
  }),
  z.strictObject({
    type: z.literal('packages'),
    packages: z.array(PackageName).default([...SUPPORT_PACKAGES]),
  }),
]);
export type Provisioner = z.infer<typeof Provisioner>;

/** A build stage's name, as copies name it (`from: build`). */
export const StageName = z
  .string()
  .min(1, 'stage name must not be empty')
  .max(40, 'stage name must be at most 40 characters')
  .regex(/^[a-z][a-z0-9-]*$/, "stage name must be lowercase letters, digits or '-', starting with a letter, like 'build'");

/**
 * Files taken from a build stage, as Docker's `COPY --from=build`: `source` (a file or directory
 * in that stage's root) becomes `destination` here, owners, modes and links kept.
 */
export const StageCopy = z.strictObject({
  from: StageName,
  source: ImagePath,
  destination: ImagePath,
});
export type StageCopy = z.infer<typeof StageCopy>;

/**
 * A build stage of a multi-stage recipe: its own root (base, copies from other stages, artifact,
 * provisioners), never shipped; only what the image copies out of it is. Cached by its inputs.
 */
export const BuildStage = z.strictObject({
  name: StageName,
  base: RecipeBase.default({ type: 'scratch' }),
  copy: z.array(StageCopy).max(50).optional(),
  artifact: z.object({ source: z.union([HostPath, z.url({ protocol: /^https?$/ })]), destination: ImagePath }).optional(),
  provisioners: z.array(Provisioner).max(100).default([]),
});
export type BuildStage = z.infer<typeof BuildStage>;

export const FstabEntry = z.strictObject({
  device: z.string().regex(/^\S+$/, 'device must not contain spaces'),
  mountPoint: z.string().regex(/^\/\S*$/, 'mountPoint must be an absolute path'),
  type: z.string().regex(/^[a-z0-9]+$/),
  options: z.string().regex(/^\S+$/).default('defaults'),
});

export const RecipeProvisioning = z.strictObject({
  hostname: IntentHostname.optional(),
  fstab: z.array(FstabEntry).default([]),
  /** Install the agent-less first-boot unit that reports ready to this metadata service. */
  firstBootAgent: z.strictObject({ metadataUrl: z.url() }).optional(),
  users: z.array(IntentUser).default([]),
  files: z.array(IntentFile).default([]),
  units: z.array(IntentUnit).default([]),
});
export type RecipeProvisioning = z.infer<typeof RecipeProvisioning>;

export const RecipeDraft = z.strictObject({
  /** Recipe name; the image it makes has the same name unless `image` says otherwise. */
  name: ImageName,
  image: ImageName.optional(),
  description: z.string().max(2000).default(''),
  /** packer: the recipe rendered as a Packer template and run by a real `packer build` (Debian package packer); makes a bundle. */
  builder: z.enum(['bundle', 'disk', 'oci', 'packer']).default('bundle'),
  base: RecipeBase.default({ type: 'scratch' }),
  provisioners: z.array(Provisioner).max(100).default([]),
  /** Build stages (multi-stage recipes): built first, in dependency order; only their copied outputs reach the image. */
  stages: z.array(BuildStage).max(10).optional(),
  /** What the image takes from its build stages, applied last (after provisioning), each copy its own OCI layer. */
  copy: z.array(StageCopy).max(50).optional(),
  /** The application artifact: a file or directory here, or an http(s) URL reachable from this machine. */
  artifact: z.object({ source: z.union([HostPath, z.url({ protocol: /^https?$/ })]), destination: ImagePath }).optional(),
  /** How the local cloud runs a bundle: `node <entrypoint>` (an ES module) with PORT set; healthy when healthPath answers 2xx. */
  run: z
    .strictObject({
      entrypoint: ImagePath,
      healthPath: z
        .string()
        .regex(/^\/\S*$/, 'healthPath must start with /')
        .default('/health'),
      /** OCI images: who the entrypoint runs as (the config's User), a user of the image's /etc/passwd or `uid[:gid]`; unset: root. */
      user: z
        .string()
        .regex(/^([a-z_][a-z0-9_-]{0,31}|[0-9]{1,10}(:[0-9]{1,10})?)$/, "user must be a user name (lowercase, e.g. 'app') or 'uid[:gid]'")
        .optional(),
      /** CPU and memory per instance (requests = limits on Kubernetes); unset: the provider's defaults. */
      resources: RunResources.optional(),
    })
    .optional(),
  provisioning: RecipeProvisioning.optional(),
  /** Disk images from a Debian base: make it boot as a VM (kernel, systemd, networkd, report-ready agent). */
  vm: VmBoot.optional(),
  output: z
    .object({
      compression: z.enum(['zstd', 'gzip']).default('zstd'),
      /** Size of the raw disk before `resize2fs -M` shrinks the filesystem (disk builder). */
      diskSizeMiB: z
        .number()
        .int()
        .min(8)
        .max(64 * 1024)
        .default(64),
    })
    .default({ compression: 'zstd', diskSizeMiB: 64 }),
  tests: z
    .object({
      /** Paths that must exist in the built image (read back with debugfs for disk images). */
      files: z.array(ImagePath).default([]),
      /** Bundles with `run`: start the entrypoint and expect a 2xx from its health path. */
      boot: z.boolean().default(true),
      /** Disk images: boot the image's own kernel under QEMU TCG and expect its /bin/sh to report ready (Debian package qemu-system-x86). */
      qemuBoot: z.boolean().default(false),
    })
    .default({ files: [], boot: true, qemuBoot: false }),
});
export type RecipeDraft = z.infer<typeof RecipeDraft>;
export type RecipeDraftInput = z.input<typeof RecipeDraft>;

export const Recipe = RecipeDraft.extend({
  id: RecipeId,
  revision: z.number().int().positive(),
  updatedAt: Timestamp,
  updatedBy: z.string(),
});
export type Recipe = z.infer<typeof Recipe>;

export const RecipeRevision = z.strictObject({ revision: z.number().int().positive(), updatedAt: Timestamp, updatedBy: z.string(), recipe: Recipe });
export type RecipeRevision = z.infer<typeof RecipeRevision>;

/** The image name a recipe produces. */
export function recipeImageName(recipe: Pick<RecipeDraft, 'name' | 'image'>): string {
  return recipe.image ?? recipe.name;
}
