import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Event } from 'kubernetes-models/v1/Event';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { createControllers } from './fake-controllers';
import { serveLog } from './fake-jobs';
import { createKubelet, type KubeletOptions } from './fake-kubelet';
import { jsonPatch, mergePatch, strategicMergePatch } from './fake-patch';
import { createStore, type KubeObject, matchesFields, matchesLabels, StatusError } from './fake-store';

/** Who a bearer token is: an expired one gets 401; `namespaces` is the tiny RBAC table ('*' = every namespace). */
export interface FakeUser {
  name: string;
  namespaces: string[] | '*';
  expired?: boolean;
}

export interface FakeApiServerOptions extends KubeletOptions {
  tokens: Record<string, FakeUser>;
}

const KINDS: Record<string, { group: string; kind: string; validate: (o: unknown) => void }> = {
  pods: { group: '', kind: 'Pod', validate: (o) => new Pod(o as never).validate() },
  services: { group: '', kind: 'Service', validate: (o) => new Service(o as never).validate() },
  secrets: { group: '', kind: 'Secret', validate: (o) => new Secret(o as never).validate() },
  events: { group: '', kind: 'Event', validate: (o) => new Event(o as never).validate() },
  'replicasets.apps': { group: 'apps', kind: 'ReplicaSet', validate: (o) => new ReplicaSet(o as never).validate() },
  'jobs.batch': { group: 'batch', kind: 'Job', validate: (o) => new Job(o as never).validate() },
};

// /api/v1/namespaces/{ns}/{resource}[/{name}[/{sub}]] and /apis/{group}/v1/namespaces/…
const PATH = /^\/(?:api\/v1|apis\/(apps|batch)\/v1)\/namespaces\/([a-z0-9-]+)\/([a-z]+)(?:\/([a-z0-9.-]+))?(?:\/(log|status))?$/;

/**
 * A Kubernetes API server for tests: the REST paths Kiln's provider uses, spoken over real HTTP so
 * the real @kubernetes/client-node talks to it. Every body is validated against the Kubernetes
 * schemas (kubernetes-models): a manifest a real cluster would refuse is refused here with the
 * same 422 Status, so a provider bug surfaces in tests rather than on someone's cluster.
 */
export async function startFakeApiServer(options: FakeApiServerOptions) {
  const store = createStore();
  const kubelet = createKubelet(store, options);
  const controllers = createControllers(store, kubelet);
  const requests: string[] = [];
  const watches = new Set<ServerResponse>();

  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const status = (res: ServerResponse, code: number, reason: string, message: string) =>
    send(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    requests.push(`${method} ${url.pathname}${url.search}`);
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = token ? options.tokens[token] : undefined;
    if (!user || user.expired) return status(res, 401, 'Unauthorized', 'Unauthorized');
    if (url.pathname === '/version') return send(res, 200, { major: '1', minor: '31', gitVersion: 'v1.31.0-kiln-fake', platform: 'linux/amd64' });
    const m = PATH.exec(url.pathname);
    if (!m) return status(res, 404, 'NotFound', `the server could not find the requested resource (${method} ${url.pathname})`);
    const [, group = '', ns = '', plural = '', name, sub] = m;
    const resource = group ? `${plural}.${group}` : plural;
    const kind = KINDS[resource];
    if (!kind || kind.group !== group) return status(res, 404, 'NotFound', `the server could not find the requested resource`);
    const verb =
      { GET: name ? 'get' : url.searchParams.get('watch') === 'true' ? 'watch' : 'list', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[method] ?? method;
    if (user.namespaces !== '*' && !user.namespaces.includes(ns))
      return status(
        res,
        403,
        'Forbidden',
        `${name ? `${resource} "${name}"` : resource} is forbidden: User "${user.name}" cannot ${verb} resource "${plural}" in API group "${group}" in the namespace "${ns}"`,
      );
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? await readJson(req) : undefined;
    const labelSelector = url.searchParams.get('labelSelector') ?? undefined;
    const fieldSelector = url.searchParams.get('fieldSelector') ?? undefined;

    if (sub === 'log') {
      const pod = store.get('pods', ns, name!);
      if (!pod) return status(res, 404, 'NotFound', `pods "${name}" not found`);
      return serveLog(kubelet.logs, pod, url, res, (code, reason, message) => status(res, code, reason, message));
    }
    if (method === 'GET' && !name && verb === 'watch') {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      // The client's fetch resolves on the headers: send them before the first event.
      res.flushHeaders();
      watches.add(res);
      const since = Number(url.searchParams.get('resourceVersion') ?? store.revision);
      const stop = store.watch((r, e) => {
        if (r !== resource || e.object.metadata.namespace !== ns || Number(e.object.metadata.resourceVersion) <= since) return;
        if (matchesLabels(labelSelector, e.object.metadata.labels) && matchesFields(fieldSelector, e.object)) res.write(`${JSON.stringify(e)}\n`);
      });
      res.on('close', () => {
        stop();
        watches.delete(res);
      });
      return;
    }
    if (method === 'GET' && !name) {
      const items = store.list(resource, ns).filter((o) => matchesLabels(labelSelector, o.metadata.labels) && matchesFields(fieldSelector, o));
      return send(res, 200, { apiVersion: group ? `${group}/v1` : 'v1', kind: `${kind.kind}List`, metadata: { resourceVersion: store.revision }, items });
    }
    if (method === 'GET') {
      const o = store.get(resource, ns, name!);
      return o ? send(res, 200, o) : status(res, 404, 'NotFound', `${resource} "${name}" not found`);
    }
    if (method === 'DELETE') {
      const o = store.get(resource, ns, name!);
      if (!o) return status(res, 404, 'NotFound', `${resource} "${name}" not found`);
      if (resource === 'pods') {
        const grace = Number(url.searchParams.get('gracePeriodSeconds') ?? 30);
        void controllers.deletePod(ns, name!, Math.min(grace, 5) * 1000);
        return send(res, 200, { ...o, metadata: { ...o.metadata, deletionTimestamp: new Date().toISOString() } });
      }
      const propagation = url.searchParams.get('propagationPolicy') ?? (body as { propagationPolicy?: string } | undefined)?.propagationPolicy;
      if (propagation === 'Orphan') o.metadata.annotations = { ...o.metadata.annotations, 'fake.kiln.io/orphan': 'true' };
      if (propagation === 'Orphan') store.update(resource, ns, { ...o, metadata: { ...o.metadata, resourceVersion: undefined as never } });
      store.remove(resource, ns, name!);
      return send(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: plural, uid: o.metadata.uid } });
    }
    let next: KubeObject;
    if (method === 'PATCH') {
      const current = store.get(resource, ns, name!);
      if (!current) return status(res, 404, 'NotFound', `${resource} "${name}" not found`);
      const type = (req.headers['content-type'] ?? '').split(';')[0];
      const patched =
        type === 'application/json-patch+json'
          ? jsonPatch(current as never, body as never)
          : type === 'application/merge-patch+json'
            ? mergePatch(current as never, body as never)
            : type === 'application/strategic-merge-patch+json'
              ? strategicMergePatch(current as never, body as never)
              : undefined;
      if (patched === undefined)
        return status(
          res,
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
        );
      next = patched as unknown as KubeObject;
      // A patch carrying no resourceVersion applies to whatever is current.
      if ((body as KubeObject | undefined)?.metadata?.resourceVersion === undefined) next.metadata.resourceVersion = current.metadata.resourceVersion;
    } else next = body as KubeObject;
    if (!next || typeof next !== 'object' || typeof next.metadata !== 'object') return status(res, 400, 'BadRequest', 'the request body is not a Kubernetes object');
    if (sub === 'status' && method !== 'PATCH') return status(res, 405, 'MethodNotAllowed', 'the fake accepts status only from its own controllers');
    try {
      kind.validate({ ...next, apiVersion: group ? `${group}/v1` : 'v1', kind: kind.kind });
    } catch (err) {
      return status(res, 422, 'Invalid', `${kind.kind} "${next.metadata.name ?? next.metadata.generateName ?? ''}" is invalid: ${(err as Error).message}`);
    }
    const invalid = semanticCheck(resource, next);
    if (invalid) return status(res, 422, 'Invalid', `${kind.kind} "${next.metadata.name}" is invalid: ${invalid}`);
    if (method === 'POST') return send(res, 201, store.create(resource, ns, { ...next, apiVersion: group ? `${group}/v1` : 'v1', kind: kind.kind }));
    if (next.metadata.name !== name) return status(res, 400, 'BadRequest', `the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
    const current = store.get(resource, ns, name!);
    // Writes through the main resource cannot change status (the controllers own it).
    return send(res, 200, store.update(resource, ns, { ...next, status: current?.status }));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (err instanceof StatusError) return status(res, err.code, err.reason, err.message);
      status(res, 500, 'InternalError', String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    /** Every request as `METHOD path?query`, for tests that check what the client sent. */
    requests,
    async close(): Promise<void> {
      for (const w of watches) w.end();
      await controllers.close();
      await kubelet.stopAll();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
export type FakeApiServer = Awaited<ReturnType<typeof startFakeApiServer>>;

/** The checks the API server makes beyond the schema, which Kiln's manifests must pass too. */
function semanticCheck(resource: string, o: KubeObject): string | undefined {
  const name = o.metadata.name ?? '';
  if (name && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name))
    return `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`;
  for (const [k, v] of Object.entries(o.metadata.labels ?? {}))
    if (v.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v))
      return `metadata.labels: Invalid value: "${v}": a valid label value (of ${k}) must be 63 characters or less`;
  if (resource === 'replicasets.apps') {
    const selector = o.spec?.selector?.matchLabels ?? {};
    const labels = o.spec?.template?.metadata?.labels ?? {};
    if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return 'spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`';
  }
  return undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new StatusError(400, 'BadRequest', 'the request body is not valid JSON');
  }
}
