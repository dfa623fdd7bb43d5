import Docker from 'dockerode';
import { createReadStream } from 'node:fs';
import type { AccountCredentials, AccountEndpoint } from '../../../shared/domain/account';
import { dockerTarget } from '../account-health';
import { dockerArchiveOf } from './docker-archive';
import type { EngineFlavour } from './engine-flavour';

/** Labels on every container Kiln runs; the engine's own state is the truth Kiln adopts from. */
export const LABEL = {
  application: 'kiln.application',
  cluster: 'kiln.cluster',
  serverGroup: 'kiln.server-group',
  account: 'kiln.account',
  region: 'kiln.region',
  version: 'kiln.version',
  image: 'kiln.image',
  instance: 'kiln.instance',
  port: 'kiln.port',
  kilnId: 'kiln.kiln-id',
} as const;

/** The port the app listens on inside its container (it reads PORT); published on a host port of Kiln's range. */
export const CONTAINER_PORT = 8080;

/** A client for the account's engine: a unix socket, or TCP with TLS when the account asks for it. */
export function connectEngine(endpoint: AccountEndpoint, credentials: AccountCredentials | undefined): Docker {
  if (!endpoint.dockerHost) throw new Error('no docker host is set');
  const target = dockerTarget(endpoint.dockerHost);
  if ('socketPath' in target) return new Docker({ socketPath: target.socketPath, timeout: 60_000 });
  const secure = target.secure || endpoint.tls === true;
  return new Docker({
    host: target.host,
    port: target.port,
    protocol: secure ? 'https' : 'http',
    timeout: 60_000,
    ...(secure ? { ca: endpoint.tlsCaCert, cert: credentials?.tlsCert, key: credentials?.tlsKey } : {}),
  });
}

/**
 * Splits the engine's multiplexed log stream (8-byte frame headers: stream, 0, 0, 0, size) into
 * text. A container with a TTY sends raw text instead; a header whose first byte is not 0-2 says so.
 */
export function demuxLogs(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const kind = raw[at]!;
    if (kind > 2 || raw[at + 1] !== 0 || raw[at + 2] !== 0 || raw[at + 3] !== 0) return raw.toString('utf8');
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The engine's own words on a failed request (dockerode puts the JSON answer on the error). */
export function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string; cause?: string }; reason?: string; message?: string; code?: string };
  const said = e.json?.message ?? e.json?.cause ?? e.reason ?? e.message ?? String(err);
  return String(said).trim();
}

export const statusOf = (err: unknown): number | undefined => (err as { statusCode?: number }).statusCode;

/**
 * Loads an OCI image-layout archive (the bakery's `oci` builder) into the engine and tags it as
 * `tag`. Podman's `/images/load` takes an OCI archive as is; Docker 20.10 cannot load an OCI
 * layout, so it gets the same blobs in its own archive format (docker-archive.ts).
 */
export async function loadOciArchive(docker: Docker, archive: string, tag: string, flavour: EngineFlavour): Promise<void> {
  const converted = flavour.engine === 'docker' ? await dockerArchiveOf(archive, tag) : undefined;
  try {
    await loadArchive(docker, converted?.stream ?? createReadStream(archive), tag);
  } finally {
    await converted?.done();
  }
}

async function loadArchive(docker: Docker, archive: NodeJS.ReadableStream, tag: string): Promise<void> {
  const stream = await docker.loadImage(archive);
  const answer = await new Promise<string>((resolve, reject) => {
    let body = '';
    stream.on('data', (c: Buffer) => (body += c.toString('utf8')));
    stream.on('end', () => resolve(body));
    stream.on('error', reject);
  });
  // Podman answers `{"stream":"Loaded image: localhost/name:tag"}`; Docker `Loaded image ID: sha256:…`.
  const loaded = /Loaded image(?:\(s\))?(?: ID)?: ([^\s"\\]+)/.exec(answer)?.[1];
  const problem = /"(?:error|errorDetail)"\s*:\s*\{?\s*"?(?:message"\s*:\s*)?"([^"]+)"/.exec(answer)?.[1];
  if (!loaded) throw new Error(problem ?? `the engine did not load the archive: ${answer.slice(0, 300)}`);
  const [repo, version] = splitTag(tag);
  await docker.getImage(loaded.split(',')[0]!).tag({ repo, tag: version });
}

function splitTag(tag: string): [string, string] {
  const at = tag.lastIndexOf(':');
  return at > tag.lastIndexOf('/') ? [tag.slice(0, at), tag.slice(at + 1)] : [tag, 'latest'];
}
