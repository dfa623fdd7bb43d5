import type { CiServer } from '../../shared/domain/ci-server';
import { jenkinsJobProblem } from '../../shared/stages/jenkins';
import { guardedRequest, type GuardedResponse } from '../net/guarded-request';
import type { OutboundPolicy } from '../net/outbound-policy';

/** What a Jenkins call needs: where, as whom (the token, never logged), and the crumb when CSRF protection asks for one. */
export interface JenkinsTarget {
  server: CiServer;
  token: string;
}

export type Headers = Record<string, string | string[] | undefined>;

/** `team/app/build` → `/job/team/job/app/job/build`; undefined when the name could reach anything else. */
export function jobPath(job: string): string | undefined {
  if (jenkinsJobProblem(job)) return undefined;
  return job
    .split('/')
    .map((part) => `/job/${encodeURIComponent(part)}`)
    .join('');
}

export const artifactPath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export function basicAuth(target: JenkinsTarget): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${target.server.username}:${target.token}`).toString('base64')}` };
}

export const header = (headers: Headers, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
};

/** The crumb issuer's answer as headers for the next POST (with its session cookie: crumbs are bound to it). */
export function crumbHeaders(status: number, body: string, headers: Headers): Record<string, string> | undefined {
  if (status !== 200) return undefined;
  try {
    const crumb = JSON.parse(body) as { crumbRequestField?: unknown; crumb?: unknown };
    if (typeof crumb.crumbRequestField !== 'string' || typeof crumb.crumb !== 'string') return undefined;
    const raw = headers['set-cookie'];
    const cookies = (Array.isArray(raw) ? raw : raw ? [raw] : []).map((c) => c.split(';')[0]!).filter(Boolean);
    return { [crumb.crumbRequestField]: crumb.crumb, ...(cookies.length ? { cookie: cookies.join('; ') } : {}) };
  } catch {
    return undefined;
  }
}

/** `key=value` (or `key: value`) lines of a Java properties file; comments and blank lines skipped. */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const at = line.search(/[=:]/);
    if (at <= 0) continue;
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

/** The queue item's number from the `Location` buildWithParameters answers with (`…/queue/item/42/`). */
export const queueId = (location: string | undefined): number | undefined => {
  const m = /\/queue\/item\/(\d+)\/?$/.exec(location ?? '');
  return m ? Number(m[1]) : undefined;
};

/** Why a Jenkins answer is refused, naming the server and never the token. */
export function refusal(target: JenkinsTarget, status: number, what: string): string | undefined {
  if (status === 401) return `CI server '${target.server.name}' refused Kiln's credentials (401) for user '${target.server.username}': ask an admin to replace the token`;
  if (status === 403) return `CI server '${target.server.name}' did not let user '${target.server.username}' ${what} (403)`;
  return undefined;
}

/**
 * Stops a build (or takes a queued one off the queue) when its execution is canceled: one call
 * now, awaited, its outcome returned as a line for the stage's log.
 */
export async function stopJenkins(policy: OutboundPolicy, target: JenkinsTarget, job: string, at: { buildNumber?: number; queueId?: number }): Promise<string> {
  const path = jobPath(job);
  if (!path) return `not stopped: job '${job}' is not a Jenkins job path`;
  const base = target.server.url;
  const call = (method: string, url: string, headers: Record<string, string> = {}): Promise<GuardedResponse> =>
    guardedRequest(policy, { method, url, headers: { ...basicAuth(target), ...headers }, timeoutMs: 10_000, maxBodyBytes: 16_384, what: `CI server '${target.server.name}'` });
  try {
    const crumb = await call('GET', `${base}/crumbIssuer/api/json`);
    const extra = crumbHeaders(crumb.status, crumb.body, crumb.headers) ?? {};
    const url = at.buildNumber !== undefined ? `${base}${path}/${at.buildNumber}/stop` : `${base}/queue/cancelItem?id=${at.queueId}`;
    const res = await call('POST', url, extra);
    return res.status < 400
      ? `Asked ${target.server.name} to stop ${at.buildNumber !== undefined ? `build #${at.buildNumber}` : `queue item ${at.queueId}`}`
      : `Stopping failed: ${target.server.name} answered ${res.status}`;
  } catch (err) {
    return `Stopping failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}
