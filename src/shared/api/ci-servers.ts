import { z } from 'zod';
import { endpoint } from './endpoint';
import { CiServer, CiServerName, CiServerToken, CiServerUrlInput } from '../domain/ci-server';

export const CiServerParams = z.object({ server: CiServerName });

export const NewCiServer = z.object({
  name: CiServerName,
  kind: z.literal('jenkins').default('jenkins'),
  url: CiServerUrlInput,
  username: z.string().trim().min(1, 'username must not be empty').max(200),
  /** Jenkins' API token for that user: written, never read back. */
  token: CiServerToken,
});
export type NewCiServer = z.input<typeof NewCiServer>;

export const CiServerChanges = z.object({
  url: CiServerUrlInput.optional(),
  username: z.string().trim().min(1, 'username must not be empty').max(200).optional(),
  /** A new token replaces the stored one; leaving it out keeps it. */
  token: CiServerToken.optional(),
});
export type CiServerChanges = z.input<typeof CiServerChanges>;

export const listCiServers = endpoint({
  method: 'GET',
  path: '/api/ci-servers',
  summary: 'CI servers pipelines may start builds on (never their tokens)',
  response: z.array(CiServer),
});

export const getCiServer = endpoint({
  method: 'GET',
  path: '/api/ci-servers/:server',
  summary: 'One CI server: URL, user and when its token was set (never the token)',
  params: CiServerParams,
  response: CiServer,
});

export const createCiServer = endpoint({
  method: 'POST',
  path: '/api/ci-servers',
  summary: 'Add a Jenkins server with a user and API token (admins only)',
  body: NewCiServer,
  response: CiServer,
  status: 201,
});

export const updateCiServer = endpoint({
  method: 'PATCH',
  path: '/api/ci-servers/:server',
  summary: "Change a CI server's URL or user, or replace its token (admins only)",
  params: CiServerParams,
  body: CiServerChanges,
  response: CiServer,
});

export const deleteCiServer = endpoint({
  method: 'DELETE',
  path: '/api/ci-servers/:server',
  summary: 'Remove a CI server (admins only)',
  params: CiServerParams,
  response: z.object({ ok: z.literal(true) }),
});

export const ciServerEndpoints = { listCiServers, getCiServer, createCiServer, updateCiServer, deleteCiServer };
