import { z } from 'zod';

/**
 * The part of the Ignition config (spec 3.3.0, and 3.4.0 for fcos 1.5.0) that Kiln's Butane
 * translator emits. Field names are Ignition's; the translator builds objects in Ignition's own
 * field order so `JSON.stringify` matches Butane's output byte for byte.
 */
const Owner = z.object({ id: z.number().int().optional(), name: z.string().optional() });

const Resource = z.object({ compression: z.string().optional(), source: z.string().optional() });

const NodeFields = {
  group: Owner.optional(),
  overwrite: z.boolean().optional(),
  path: z.string(),
  user: Owner.optional(),
};

export const IgnitionFile = z.object({ ...NodeFields, append: z.array(Resource).optional(), contents: Resource.optional(), mode: z.number().int().optional() });
export const IgnitionDisk = z.object({
  device: z.string(),
  partitions: z
    .array(
      z.object({
        guid: z.string().optional(),
        label: z.string().optional(),
        number: z.number().int().optional(),
        resize: z.boolean().optional(),
        shouldExist: z.boolean().optional(),
        sizeMiB: z.number().int().optional(),
        startMiB: z.number().int().optional(),
        typeGuid: z.string().optional(),
        wipePartitionEntry: z.boolean().optional(),
      }),
    )
    .optional(),
  wipeTable: z.boolean().optional(),
});
export const IgnitionLuks = z.object({
  clevis: z
    .object({
      custom: z.object({ config: z.string().optional(), needsNetwork: z.boolean().optional(), pin: z.string().optional() }).optional(),
      tang: z.array(z.object({ thumbprint: z.string().optional(), url: z.string().optional() })).optional(),
      threshold: z.number().int().optional(),
      tpm2: z.boolean().optional(),
    })
    .optional(),
  device: z.string(),
  keyFile: Resource.optional(),
  label: z.string().optional(),
  name: z.string(),
  options: z.array(z.string()).optional(),
  uuid: z.string().optional(),
  wipeVolume: z.boolean().optional(),
});
export const IgnitionRaid = z.object({
  devices: z.array(z.string()).optional(),
  level: z.string().optional(),
  name: z.string(),
  options: z.array(z.string()).optional(),
  spares: z.number().int().optional(),
});
export const IgnitionFilesystem = z.object({
  device: z.string(),
  format: z.string().optional(),
  label: z.string().optional(),
  mountOptions: z.array(z.string()).optional(),
  options: z.array(z.string()).optional(),
  path: z.string().optional(),
  uuid: z.string().optional(),
  wipeFilesystem: z.boolean().optional(),
});
export const IgnitionDirectory = z.object({ ...NodeFields, mode: z.number().int().optional() });
export const IgnitionLink = z.object({ ...NodeFields, hard: z.boolean().optional(), target: z.string().optional() });

export const IgnitionUser = z.object({
  gecos: z.string().optional(),
  groups: z.array(z.string()).optional(),
  homeDir: z.string().optional(),
  name: z.string(),
  noCreateHome: z.boolean().optional(),
  noLogInit: z.boolean().optional(),
  noUserGroup: z.boolean().optional(),
  passwordHash: z.string().optional(),
  primaryGroup: z.string().optional(),
  sshAuthorizedKeys: z.array(z.string()).optional(),
  shell: z.string().optional(),
  shouldExist: z.boolean().optional(),
  system: z.boolean().optional(),
  uid: z.number().int().optional(),
});

export const IgnitionGroup = z.object({
  gid: z.number().int().optional(),
  name: z.string(),
  passwordHash: z.string().optional(),
  shouldExist: z.boolean().optional(),
  system: z.boolean().optional(),
});

export const IgnitionUnit = z.object({
  contents: z.string().optional(),
  dropins: z.array(z.object({ contents: z.string().optional(), name: z.string() })).optional(),
  enabled: z.boolean().optional(),
  mask: z.boolean().optional(),
  name: z.string(),
});

export const IgnitionVersion = z.enum(['3.3.0', '3.4.0']);
export type IgnitionVersion = z.infer<typeof IgnitionVersion>;

export const IgnitionConfig = z.object({
  ignition: z.object({ version: IgnitionVersion }),
  kernelArguments: z.object({ shouldExist: z.array(z.string()).optional(), shouldNotExist: z.array(z.string()).optional() }).optional(),
  passwd: z.object({ groups: z.array(IgnitionGroup).optional(), users: z.array(IgnitionUser).optional() }).optional(),
  storage: z
    .object({
      directories: z.array(IgnitionDirectory).optional(),
      disks: z.array(IgnitionDisk).optional(),
      files: z.array(IgnitionFile).optional(),
      filesystems: z.array(IgnitionFilesystem).optional(),
      links: z.array(IgnitionLink).optional(),
      luks: z.array(IgnitionLuks).optional(),
      raid: z.array(IgnitionRaid).optional(),
    })
    .optional(),
  systemd: z.object({ units: z.array(IgnitionUnit).optional() }).optional(),
});
export type IgnitionConfig = z.infer<typeof IgnitionConfig>;
