import { z } from 'zod';
import { pathProblem } from './ignition-checks';

/**
 * What an image or instance needs at first boot, said once and independent of the mechanism:
 * `toCloudConfig` renders it as cloud-init user-data, `toButane` as Butane (then Ignition), so a
 * bake recipe can target Debian-style and Flatcar-style images from the same definition.
 */

const LABEL = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
export const IntentHostname = z
  .string()
  .max(253, 'hostname must be at most 253 characters')
  .regex(new RegExp(`^${LABEL}(\\.${LABEL})*$`), "hostname must be lowercase letters, digits and '-', in dot-separated labels");

// useradd's portable rule (and what both cloud-init and Ignition pass straight to useradd).
const accountName = (what: string) => z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, `${what} must start with a-z or '_' and hold only a-z, 0-9, '_' or '-' (max 32)`);

export const UNIT_SUFFIXES = ['service', 'socket', 'timer', 'target', 'mount', 'automount', 'path', 'swap', 'slice', 'scope', 'device'];
export const IntentUnitName = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9:_.\\\\@-]+\\.(${UNIT_SUFFIXES.join('|')})$`),
    `unit name must end with .${UNIT_SUFFIXES.join(', .')} and hold only letters, digits, ':', '_', '.', '@', '\\' or '-'`,
  );

const AbsolutePath = z.string().superRefine((p, ctx) => {
  const problem = pathProblem(p);
  // Relative or `..`-bearing paths would write outside what the author meant (or fail at boot).
  if (problem) ctx.addIssue({ code: 'custom', message: `${problem}: file paths must be absolute and normalized, like /etc/motd` });
});

const SshKey = z
  .string()
  .regex(
    /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/,
    'ssh key must look like "ssh-ed25519 AAAA… comment"',
  );

export const IntentUser = z.strictObject({
  name: accountName('user name'),
  sshAuthorizedKeys: z.array(SshKey).default([]),
  groups: z.array(accountName('group name')).default([]),
  /** Passwordless sudo: a sudoers rule under cloud-init, the admin group (sudo/wheel) under Butane. */
  sudo: z.boolean().default(false),
  shell: z.string().startsWith('/', 'shell must be an absolute path').optional(),
  passwordHash: z.string().min(1).optional(),
});

export const IntentFile = z.strictObject({
  path: AbsolutePath,
  /** Numeric permission bits, 0o644 by default; rendered as '0644' for cloud-init and 0644 for Butane. */
  mode: z.number().int().min(0).max(0o7777, 'mode must be between 0 and 0o7777').default(0o644),
  content: z.string(),
  owner: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$/, "owner must be 'user' or 'user:group'")
    .optional(),
});

export const IntentUnit = z.strictObject({
  name: IntentUnitName,
  /** Omitted: the unit already exists in the image and is only enabled. */
  contents: z.string().optional(),
  enabled: z.boolean().default(true),
});

export const ProvisioningIntent = z
  .strictObject({
    hostname: IntentHostname.optional(),
    users: z.array(IntentUser).default([]),
    files: z.array(IntentFile).default([]),
    units: z.array(IntentUnit).default([]),
    /** Shell commands run once, late in first boot, in order, after the units are enabled. */
    runcmd: z.array(z.string().min(1, 'a command must not be empty')).default([]),
  })
  .superRefine((intent, ctx) => {
    const noDuplicates = (field: 'users' | 'files' | 'units', keys: string[], what: string) => {
      keys.forEach((k, i) => {
        if (keys.indexOf(k) !== i) ctx.addIssue({ code: 'custom', path: [field, i], message: `duplicate ${what} ${k}` });
      });
    };
    noDuplicates(
      'users',
      intent.users.map((u) => u.name),
      'user',
    );
    noDuplicates(
      'files',
      intent.files.map((f) => f.path),
      'file path',
    );
    noDuplicates(
      'units',
      intent.units.map((u) => u.name),
      'unit',
    );
  });
export type ProvisioningIntent = z.output<typeof ProvisioningIntent>;
export type ProvisioningIntentInput = z.input<typeof ProvisioningIntent>;
export type IntentUser = z.output<typeof IntentUser>;
export type IntentFile = z.output<typeof IntentFile>;
export type IntentUnit = z.output<typeof IntentUnit>;

export interface IntentFieldError {
  /** Dotted path into the intent, e.g. `files.2.path`. */
  field: string;
  message: string;
}

export type IntentValidation = { ok: true; intent: ProvisioningIntent } | { ok: false; errors: IntentFieldError[] };

export function validateIntent(input: unknown): IntentValidation {
  const parsed = ProvisioningIntent.safeParse(input);
  if (parsed.success) return { ok: true, intent: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.') || '(intent)',
      message: issue.message,
    })),
  };
}

/** For generators: a bad intent here is a programming error, reported with every field at once. */
export function parseIntent(input: ProvisioningIntentInput): ProvisioningIntent {
  const result = validateIntent(input);
  if (!result.ok) throw new Error(`invalid provisioning intent: ${result.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  return result.intent;
}

/** Fragments (the first-boot agent, a recipe, an instance's hostname) compose by concatenation. */
export function mergeIntents(...parts: ProvisioningIntentInput[]): ProvisioningIntentInput {
  const hostname = parts.reduce<string | undefined>((h, p) => p.hostname ?? h, undefined);
  return {
    ...(hostname === undefined ? {} : { hostname }),
    users: parts.flatMap((p) => p.users ?? []),
    files: parts.flatMap((p) => p.files ?? []),
    units: parts.flatMap((p) => p.units ?? []),
    runcmd: parts.flatMap((p) => p.runcmd ?? []),
  };
}
