import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Repositories } from '../../db/types';
import { maskUrl } from '../../shared/domain/pipeline-secrets';
import { isCredentialHeader } from '../../shared/domain/stage-secrets';
import { LONE_SURROGATE } from './input-guard';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const REDACT = /password|secret|token|credentials/i;
const MAX_DEPTH = 16;
const MAX_STRING = 10_000;
const MAX_ITEMS = 1_000;
// NUL and lone surrogates: the database refuses them in text and jsonb, so they would cost the entry.
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** Text the database stores, cut to a length that keeps one junk request from bloating the log. */
export function storableText(s: string, max = MAX_STRING): string {
  // Cut first: a cut through a surrogate pair leaves a lone half, which the replacement then catches.
  const clean = (t: string) => t.replaceAll('\0', '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
  return s.length > max ? `${clean(s.slice(0, max))}… (${s.length - max} more characters)` : clean(s);
}

/**
 * What a request carried, as the audit log keeps it: secrets redacted, and bounded in depth, size
 * and characters so that whatever was sent (a NUL, thousands of levels of nesting, a megabyte of
 * junk) still leaves its entry instead of failing the insert.
 */
export function storable(value: unknown, depth = 0, secretKey: (key: string) => boolean = (k) => REDACT.test(k)): unknown {
  // Credentials inside URLs (a notification's user:pass@ or ?token=) are as secret as a secret field.
  if (typeof value === 'string') return maskUrl(storableText(value));
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => storable(v, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `… (${value.length - MAX_ITEMS} more items)`] : items;
  }
  const entries = Object.entries(value);
  // A webhook stage's Authorization, Cookie or X-Api-Key header is as secret as a secret field.
  const inner = (k: string) => (k === 'headers' ? (h: string) => REDACT.test(h) || isCredentialHeader(h) : undefined);
  const kept = entries.slice(0, MAX_ITEMS).map(([k, v]) => [storableText(k, 200), secretKey(k) ? '[redacted]' : storable(v, depth + 1, inner(k))]);
  if (entries.length > MAX_ITEMS) kept.push(['…', `${entries.length - MAX_ITEMS} more fields`]);
  return Object.fromEntries(kept);
}

/** Past this, an entry keeps the body's size instead of the body (a 1 MB junk body is not evidence). */
export const MAX_DETAILS_BYTES = 256 * 1024;

function details(request: FastifyRequest): Record<string, unknown> {
  const params = storable(request.params ?? {});
  const body = storable(request.body);
  const size = Buffer.byteLength(JSON.stringify(body) ?? '');
  return { params, body: size > MAX_DETAILS_BYTES ? `[body of ${size} bytes not kept]` : body };
}

/** The signed-in user; for a sign-in attempt, the name it tried, in parentheses. */
function actor(request: FastifyRequest): string {
  if (request.me) return request.me.user.name;
  const tried = (request.body as { name?: unknown } | null | undefined)?.name;
  return typeof tried === 'string' ? `(${storableText(tried, 100)})` : 'anonymous';
}

/**
 * Every request that could change something (any method but GET/HEAD/OPTIONS, on any path) goes to
 * the append-only audit log with its answer's status: accepted, refused by validation, by access
 * rules, by the cross-site check or the sign-in throttle, or aimed at a route that does not exist.
 */
export function auditLog(app: FastifyInstance, deps: { repos: Repositories; now: () => Date }): void {
  // onSend, not onResponse: the entry is written before the answer leaves, so whoever got an answer
  // (a test, a script checking the log) can rely on finding it.
  // Callback-style so that reads (nearly every request) pass without a promise of their own.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (SAFE.has(request.method)) {
      done(null, payload);
      return;
    }
    void record(request, reply).then(() => done(null, payload));
  });

  /** Never rejects: a failed write is logged, and the answer still goes out. */
  async function record(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const path = storableText(request.url.split('?')[0] ?? '', 2_000);
    try {
      await deps.repos.audit.append({
        at: deps.now().toISOString(),
        actor: actor(request),
        action: `${request.method} ${request.routeOptions.url ?? path}`,
        target: path,
        status: reply.statusCode,
        details: details(request),
        ip: request.ip,
        ...(request.headers['user-agent'] ? { userAgent: storableText(request.headers['user-agent'], 500) } : {}),
      });
    } catch (err) {
      request.log.error({ err }, 'could not write the audit log');
    }
  }
}
