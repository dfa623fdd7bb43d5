import { createCiServer, deleteCiServer, getCiServer, listCiServers, updateCiServer } from '../../src/shared/api/ci-servers';
import { CiServer } from '../../src/shared/domain/ci-server';
import { db } from '../db';
import { conflict, handleEndpoint, notFound } from '../handle-endpoint';

const find = (name: string) => {
  const server = db.ciServers.find((s) => s.name === name);
  if (!server) throw notFound(`CI server '${name}' does not exist.`, 'server');
  return server;
};
// The token is taken and dropped, as the server stores it where no answer reads it.
const stamp = () => ({ setAt: new Date().toISOString(), setBy: db.auth.me?.user.name ?? 'admin' });

export const ciServerHandlers = {
  listCiServers: handleEndpoint(listCiServers, () => db.ciServers),
  getCiServer: handleEndpoint(getCiServer, ({ params }) => find(params.server)),
  createCiServer: handleEndpoint(createCiServer, ({ body }) => {
    if (db.ciServers.some((s) => s.name === body.name)) throw conflict(`CI server '${body.name}' already exists.`, 'name');
    const { token: _token, ...rest } = body;
    const server = CiServer.parse({ ...rest, token: stamp() });
    db.ciServers.push(server);
    return server;
  }),
  updateCiServer: handleEndpoint(updateCiServer, ({ params, body }) => {
    const current = find(params.server);
    const { token, ...changes } = body;
    const next = CiServer.parse({ ...current, ...changes, ...(token ? { token: stamp() } : {}) });
    db.ciServers = db.ciServers.map((s) => (s.name === current.name ? next : s));
    return next;
  }),
  deleteCiServer: handleEndpoint(deleteCiServer, ({ params }) => {
    find(params.server);
    db.ciServers = db.ciServers.filter((s) => s.name !== params.server);
    return { ok: true as const };
  }),
};
