import { z } from 'zod';

// Names double as ids for projects, applications and accounts (as in Spinnaker),
// so they appear in URLs: lowercase, no spaces, bounded length.
const slug = (what: string) =>
  z
    .string()
    .min(1, `${what} must not be empty`)
    .max(63, `${what} must be at most 63 characters`)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, `${what} must be lowercase letters, digits, '.', '_' or '-'`);

export const ProjectName = slug('project name').brand<'ProjectName'>();
export type ProjectName = z.infer<typeof ProjectName>;

export const AccountName = slug('account name').brand<'AccountName'>();
export type AccountName = z.infer<typeof AccountName>;

export const RegionName = slug('region').brand<'RegionName'>();
export type RegionName = z.infer<typeof RegionName>;

export const InstanceId = z
  .string()
  .regex(/^i-[a-z0-9]{6,32}$/, "instance id must look like 'i-' followed by 6-32 lowercase letters or digits")
  .brand<'InstanceId'>();
export type InstanceId = z.infer<typeof InstanceId>;

export const Timestamp = z.iso.datetime({ offset: true });
