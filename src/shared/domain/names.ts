import { z } from 'zod';
import { parseMoniker } from './moniker';

/** An application name: the `{app}` part of a moniker (no hyphen). */
export const ApplicationName = z
  .string()
  .min(1, 'application name must not be empty')
  .max(63, 'application name must be at most 63 characters')
  .regex(/^[a-z0-9][a-z0-9._]*$/, "application name must be lowercase letters, digits, '.' or '_' (no '-')")
  .brand<'ApplicationName'>();
export type ApplicationName = z.infer<typeof ApplicationName>;

/** A cluster name `{app}[-{stack}][-{detail}]`, with no sequence. */
export const ClusterName = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseMoniker(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `invalid cluster name: ${parsed.reason}` });
    else if (parsed.moniker.sequence !== undefined) ctx.addIssue({ code: 'custom', message: 'a cluster name has no -vNNN sequence' });
  })
  .brand<'ClusterName'>();
export type ClusterName = z.infer<typeof ClusterName>;

/** A server-group name `{cluster}-v{NNN}`. */
export const ServerGroupName = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseMoniker(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `invalid server group name: ${parsed.reason}` });
    else if (parsed.moniker.sequence === undefined) ctx.addIssue({ code: 'custom', message: 'a server group name ends with -vNNN (3 or more digits)' });
  })
  .brand<'ServerGroupName'>();
export type ServerGroupName = z.infer<typeof ServerGroupName>;
