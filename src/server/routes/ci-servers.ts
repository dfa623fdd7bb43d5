import type { FastifyInstance } from 'fastify';
import { createCiServer, deleteCiServer, getCiServer, listCiServers, updateCiServer } from '../../shared/api/ci-servers';
import { CiServer } from '../../shared/domain/ci-server';
import { NotFoundError } from '../../db/errors';
import type { Repositories } from '../../db/types';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';

async function requireServer(repos: Repositories, name: string): Promise<CiServer> {
  const server = await repos.ciServers.get(name);
  if (!server) throw new NotFoundError(`CI server '${name}' does not exist.`, 'server');
  return server;
}

/** CI servers: everyone signed in sees them (never the token), so pipeline authors can pick one; only admins change them. */
export function ciServerRoutes(app: FastifyInstance, { repos }: AppDeps, now: () => Date): void {
  registerEndpoint(app, listCiServers, async () => repos.ciServers.list());

  registerEndpoint(app, getCiServer, async ({ params }) => requireServer(repos, params.server));

  registerEndpoint(app, createCiServer, async ({ body, actor }) => {
    const { token, ...settings } = body;
    const server = CiServer.parse(settings);
    if (await repos.ciServers.get(server.name)) throw new HttpError(409, 'conflict', `CI server '${server.name}' already exists.`, 'name');
    return repos.ciServers.create(server, token, { at: now().toISOString(), by: actor });
  });

  registerEndpoint(app, updateCiServer, async ({ params, body, actor }) => {
    const current = await requireServer(repos, params.server);
    const next = CiServer.parse({ ...current, ...(body.url !== undefined ? { url: body.url } : {}), ...(body.username !== undefined ? { username: body.username } : {}) });
    await repos.ciServers.update(next);
    if (body.token !== undefined) await repos.ciServers.setToken(current.name, body.token, { at: now().toISOString(), by: actor });
    return requireServer(repos, current.name);
  });

  registerEndpoint(app, deleteCiServer, async ({ params }) => {
    await requireServer(repos, params.server);
    await repos.ciServers.remove(params.server);
    return { ok: true as const };
  });
}
