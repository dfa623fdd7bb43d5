import { z } from 'zod';
import { CredentialsStamp } from './account';

/** A CI server's name, as pipelines and the importer's master map name it. */
export const CiServerName = z
  .string()
  .min(1, 'CI server name must not be empty')
  .max(63, 'CI server name must be at most 63 characters')
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "CI server name must be lowercase letters, digits, '.', '_' or '-'");

/** Jenkins' base URL, with its context path (`https://ci.example.com/jenkins`); no credentials in it. */
export const CiServerUrl = z
  .string()
  .trim()
  .max(500)
  .regex(/^https?:\/\/[^\s/@]+(\/[^\s@?#]*)?$/, 'url must be http(s)://host[:port][/path], without user:password@, query or fragment');

/** As typed: a trailing slash is dropped so paths join cleanly (input only: answers are plain strings). */
export const CiServerUrlInput = CiServerUrl.transform((u) => u.replace(/\/+$/, ''));

/**
 * A CI server Kiln starts builds on. The API token is write-only: stored in its own column that no
 * listing selects; what is shown is who set it and when (as for accounts' credentials).
 */
export const CiServer = z.object({
  name: CiServerName,
  kind: z.literal('jenkins'),
  url: CiServerUrl,
  username: z.string().trim().min(1, 'username must not be empty').max(200),
  /** Present when a token is stored; the token itself never leaves the server. */
  token: CredentialsStamp.optional(),
});
export type CiServer = z.infer<typeof CiServer>;

/** The secret half, for the engine's calls only. */
export const CiServerToken = z.string().min(1, 'token must not be empty').max(5_000);
