import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { EngineError } from '../errors';

/** Where images go: `host[:port]` and an optional path prefix (an account's `endpoint.registry`). */
export interface RegistryTarget {
  /** `registry.example.com/team` or `127.0.0.1:5000`. */
  registry: string;
  username?: string | undefined;
  password?: string | undefined;
}

export interface RegistryClient {
  readonly host: string;
  /** The repository's full name inside the registry: the registry's path prefix + the image name. */
  repository(name: string): string;
  hasBlob(repository: string, digest: string): Promise<boolean>;
  /** Mounts the blob from `from` when given and the registry allows it; otherwise uploads the file. Returns how it got there. */
  putBlob(repository: string, digest: string, file: string, from?: string): Promise<'mounted' | 'uploaded'>;
  /** Stores a manifest under a tag; returns the digest the registry computed (checked against ours). */
  putManifest(repository: string, tag: string, mediaType: string, body: Buffer, digest: string): Promise<string>;
  getManifest(repository: string, reference: string): Promise<{ mediaType: string; body: Buffer; digest: string } | undefined>;
}

/** How much of an error body is read: an OCI error says why in far less; a registry could send gigabytes. */
const ERROR_BODY_LIMIT = 16 * 1024;

/** The start of a response's body (up to ERROR_BODY_LIMIT bytes); the rest is never read. */
async function boundedText(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < ERROR_BODY_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    // a connection cut mid-body: what arrived still says something
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, ERROR_BODY_LIMIT).toString('utf8');
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/;

/**
 * Plain HTTP only for a registry on this machine's loopback (Docker's own default for insecure
 * registries); anything else is HTTPS, so credentials never cross a network in clear.
 */
export const registryOrigin = (host: string) => `${LOOPBACK.test(host) ? 'http' : 'https'}://${host}`;

/**
 * A client of the OCI distribution API (v2) for one registry, speaking Basic and Bearer (token
 * service) auth as the registry's `WWW-Authenticate` challenge asks. Credentials go only to the
 * registry's own origin and to a token realm that is HTTPS or loopback; they are never part of an
 * error message.
 */
export function registryClient(target: RegistryTarget, fetchImpl: typeof fetch = fetch): RegistryClient {
  const slash = target.registry.indexOf('/');
  const host = slash < 0 ? target.registry : target.registry.slice(0, slash);
  const prefix = slash < 0 ? '' : `${target.registry.slice(slash + 1)}/`;
  const origin = registryOrigin(host);
  const basic = target.username !== undefined ? `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}` : undefined;
  const tokens = new Map<string, string>();

  // A registry may echo what it was sent: no credential of this account is ever quoted back.
  const secrets = (): string[] =>
    [target.password, basic?.slice('Basic '.length), ...[...tokens.values()].map((t) => t.replace(/^(Basic|Bearer) /, ''))].filter((s): s is string => !!s && s.length >= 4);
  const redact = (text: string) => secrets().reduce((t, s) => t.split(s).join('***'), text);

  const refused = async (res: Response, what: string): Promise<never> => {
    const text = await boundedText(res);
    let detail = text.slice(0, 300);
    try {
      const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
      if (body.errors?.length) detail = body.errors.map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ');
    } catch {
      // not JSON: the first few hundred characters say enough
    }
    const kind = res.status === 401 || res.status === 403 ? 'forbidden' : 'bad_request';
    detail = redact(detail).slice(0, 300);
    throw new EngineError(kind, `registry ${host} refused to ${what}: HTTP ${res.status}${detail ? ` ${detail}` : ''}`, 'registry');
  };

  const bearerToken = async (challenge: string, repository: string, what: string) => {
    const params = Object.fromEntries([...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    if (!params.realm) throw new EngineError('bad_request', `registry ${host} asked for a token without saying where to get one`, 'registry');
    const realm = new URL(params.realm);
    const url = new URL(realm);
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope ?? `repository:${repository}:pull,push`);
    const safe = realm.protocol === 'https:' || LOOPBACK.test(realm.host);
    const res = await fetchImpl(url, { headers: basic && safe ? { authorization: basic } : {} });
    if (!res.ok) return refused(res, `give a token to ${what}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new EngineError('bad_request', `registry ${host} gave no token to ${what}`, 'registry');
    return `Bearer ${token}`;
  };

  /** One request with the repository's auth; on a challenge, authenticates as asked and tries once more. */
  const call = async (repository: string, what: string, path: string, init: RequestInit & { bodyFile?: string } = {}): Promise<Response> => {
    const url = path.startsWith('http') ? new URL(path) : new URL(path, origin);
    if (url.origin !== origin) throw new EngineError('bad_request', `registry ${host} sent Kiln to another server (${url.origin}) to ${what}`, 'registry');
    const send = (auth: string | undefined) => {
      const headers = new Headers(init.headers);
      if (auth) headers.set('authorization', auth);
      const body = init.bodyFile ? (Readable.toWeb(createReadStream(init.bodyFile)) as ReadableStream) : init.body;
      if (init.bodyFile) headers.set('content-length', String(statSync(init.bodyFile).size));
      return fetchImpl(url, { ...init, headers, body, redirect: 'manual', ...(init.bodyFile ? { duplex: 'half' } : {}) } as RequestInit);
    };
    let res = await send(tokens.get(repository));
    if (res.status !== 401) return res;
    const challenge = res.headers.get('www-authenticate') ?? '';
    await res.body?.cancel();
    if (/^basic/i.test(challenge)) {
      if (!basic) return refused(await send(undefined), `${what} (the account has no registry credentials)`);
      tokens.set(repository, basic);
    } else if (/^bearer/i.test(challenge)) tokens.set(repository, await bearerToken(challenge.slice(6).trim(), repository, what));
    else return refused(await send(undefined), what);
    res = await send(tokens.get(repository));
    return res;
  };

  return {
    host,
    repository: (name) => `${prefix}${name}`,

    async hasBlob(repository, digest) {
      const res = await call(repository, `check blob ${digest}`, `/v2/${repository}/blobs/${digest}`, { method: 'HEAD' });
      if (res.status === 404) return false;
      if (res.ok) return true;
      return refused(res, `check blob ${digest}`);
    },

    async putBlob(repository, digest, file, from) {
      const start = from ? `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}` : `/v2/${repository}/blobs/uploads/`;
      const res = await call(repository, `upload blob ${digest}`, start, { method: 'POST' });
      // A refusal's body says why (DENIED, NAME_INVALID…): read before anything cancels it.
      if (!(res.status === 201 && from) && res.status !== 202) return refused(res, `start the upload of blob ${digest}`);
      await res.body?.cancel();
      if (res.status === 201) return 'mounted';
      const location = res.headers.get('location');
      if (!location) throw new EngineError('bad_request', `registry ${host} started an upload without a Location`, 'registry');
      const put = new URL(location, origin);
      put.searchParams.set('digest', digest);
      // Monolithic upload: the registry checks the bytes against the digest and refuses a mismatch.
      const done = await call(repository, `upload blob ${digest}`, put.toString(), {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        bodyFile: file,
      });
      await (done.ok ? done.body?.cancel() : undefined);
      if (done.status !== 201) return refused(done, `store blob ${digest}`);
      return 'uploaded';
    },

    async putManifest(repository, tag, mediaType, body, digest) {
      const res = await call(repository, `store manifest ${repository}:${tag}`, `/v2/${repository}/manifests/${tag}`, {
        method: 'PUT',
        headers: { 'content-type': mediaType },
        body,
      });
      if (res.status !== 201) return refused(res, `store manifest ${repository}:${tag}`);
      await res.body?.cancel();
      const stored = res.headers.get('docker-content-digest') ?? digest;
      if (stored !== digest) throw new EngineError('bad_request', `registry ${host} stored ${repository}:${tag} as ${stored}, not ${digest}`, 'registry');
      return stored;
    },

    async getManifest(repository, reference) {
      const res = await call(repository, `read manifest ${repository}:${reference}`, `/v2/${repository}/manifests/${reference}`, {
        headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
      });
      if (res.status === 404) return undefined;
      if (!res.ok) return refused(res, `read manifest ${repository}:${reference}`);
      const body = Buffer.from(await res.arrayBuffer());
      return { mediaType: res.headers.get('content-type') ?? '', body, digest: res.headers.get('docker-content-digest') ?? '' };
    },
  };
}
