import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Account, AccountCredentials, AccountHealth } from '../../shared/domain/account';
import { kubernetesHealth } from './kubernetes/kube-health';
import { qemuHealth } from './qemu/qemu-health';

const TIMEOUT_MS = 3_000;
/** Podman builds its /version answer from a full `podman info`: about 2 s on a loaded machine, while /_ping stays instant. */
const VERSION_TIMEOUT_MS = 10_000;

type Answer = { status: number; body: string };

/** Where a Docker Engine API lives, from Docker's own DOCKER_HOST forms. */
export function dockerTarget(dockerHost: string): { socketPath: string } | { host: string; port: number; secure: boolean } {
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port), secure: url.protocol === 'https:' };
}

function get(options: RequestOptions, secure: boolean, timeoutMs = TIMEOUT_MS): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)({ ...options, method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        // An engine's answers are tiny; something that streams on is not one.
        if (body.length < 64_000) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT', timeoutMs })));
    req.on('error', reject);
    req.end();
  });
}

function reasonOf(err: unknown, where: string): string {
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return `no socket at ${where}`;
    case 'ECONNREFUSED':
      return `connection refused at ${where}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied on ${where}`;
    case 'ENOTSOCK':
      return `${where} is not a socket`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host of ${where}`;
    case 'ETIMEDOUT':
      return `no answer from ${where} within ${((err as { timeoutMs?: number }).timeoutMs ?? TIMEOUT_MS) / 1000} s`;
    default:
      return `${where}: ${(err as Error).message || String(err)}`;
  }
}

/**
 * Really asks a Docker Engine API (Docker or Podman) whether it is there: `/_ping` must answer OK,
 * and `/version` names the engine. Plain node:http, so no client library is needed just to probe.
 */
export async function dockerHealth(
  dockerHost: string,
  tls: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined; on: boolean },
  now: Date,
  versionTimeoutMs = VERSION_TIMEOUT_MS,
): Promise<AccountHealth> {
  const checkedAt = now.toISOString();
  const target = dockerTarget(dockerHost);
  const secure = 'socketPath' in target ? false : target.secure || tls.on;
  const base: RequestOptions =
    'socketPath' in target
      ? { socketPath: target.socketPath, host: 'localhost' }
      : { host: target.host, port: target.port, ...(secure ? { ca: tls.ca, cert: tls.cert, key: tls.key } : {}) };
  try {
    const ping = await get({ ...base, path: '/_ping' }, secure);
    if (ping.status !== 200) return { status: 'unreachable', reason: `${dockerHost} answered /_ping with HTTP ${ping.status}, not a Docker Engine API`, checkedAt };
    // The engine answered /_ping, so it is there: a busy Podman may take longer than that to say its version.
    const answer = await get({ ...base, path: '/version' }, secure, versionTimeoutMs).catch((err: unknown) => {
      if ((err as { code?: string }).code === 'ETIMEDOUT') return undefined;
      throw err;
    });
    if (!answer) return { status: 'reachable', version: `an engine too busy to say its version within ${versionTimeoutMs / 1000} s`, checkedAt };
    let version: { Version?: unknown; ApiVersion?: unknown; Components?: Array<{ Name?: unknown }> } = {};
    try {
      version = JSON.parse(answer.body) as typeof version;
    } catch {
      // fall through: reported below as no version
    }
    if (answer.status !== 200 || typeof version.Version !== 'string')
      return { status: 'unreachable', reason: `${dockerHost} did not say which engine it is (/version answered HTTP ${answer.status})`, checkedAt };
    const name = typeof version.Components?.[0]?.Name === 'string' ? version.Components[0].Name : 'Docker Engine';
    return { status: 'reachable', version: `${name} ${version.Version}${typeof version.ApiVersion === 'string' ? ` (API ${version.ApiVersion})` : ''}`, checkedAt };
  } catch (err) {
    return { status: 'unreachable', reason: reasonOf(err, dockerHost), checkedAt };
  }
}

export interface HealthContext {
  /** Whether this Kiln runs its local cloud (local accounts are reachable exactly then). */
  localCloud: boolean;
  version: string;
  now: Date;
}

/** An account's health, whatever its provider: the same answer for the dashboard, the CLI and deploys. */
export async function accountHealth(account: Account, credentials: AccountCredentials | undefined, ctx: HealthContext): Promise<AccountHealth> {
  const checkedAt = ctx.now.toISOString();
  switch (account.provider) {
    case 'local':
      return ctx.localCloud
        ? { status: 'reachable', version: `Kiln local cloud${ctx.version ? ` ${ctx.version}` : ''}`, checkedAt }
        : { status: 'unreachable', reason: 'this Kiln runs without its local cloud', checkedAt };
    case 'docker':
      if (!account.endpoint.dockerHost) return { status: 'unreachable', reason: 'no docker host is set', checkedAt };
      return dockerHealth(
        account.endpoint.dockerHost,
        { on: account.endpoint.tls === true, ca: account.endpoint.tlsCaCert, cert: credentials?.tlsCert, key: credentials?.tlsKey },
        ctx.now,
      );
    case 'kubernetes':
      return kubernetesHealth(account, credentials, ctx.now);
    case 'qemu':
      return qemuHealth(ctx.now);
    default:
      return { status: 'unreachable', reason: `Kiln has no ${account.provider} provider yet`, checkedAt };
  }
}
