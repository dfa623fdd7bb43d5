import type { FastifyInstance } from 'fastify';
import { HttpError } from './error-handler';

/** Deeper JSON than this is refused: no Kiln document comes near it (a pipeline is about 6 levels). */
export const MAX_JSON_DEPTH = 64;

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface UnsafeInput {
  /** Dotted path to the value, as zod names fields ('' for the whole document). */
  path: string;
  problem: string;
}

function stringProblem(s: string): string | undefined {
  if (s.includes('\0')) return 'must not contain a null character (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'must not contain a lone UTF-16 surrogate (text that is not valid Unicode)';
  return undefined;
}

/** Shows a key in a path even when the key itself is the junk. */
const keyLabel = (key: string) => (stringProblem(key) ? JSON.stringify(key).slice(1, -1) : key);

/**
 * The first thing in a parsed JSON value (or params/query) that no route can store or validate:
 * text PostgreSQL refuses (NUL, lone surrogates fail UTF-8) or nesting deep enough to overflow the
 * recursion of validation, serialization or the database's JSON parser. Walks with its own stack,
 * so the check cannot overflow on the input it exists to refuse.
 */
export function findUnsafeInput(value: unknown, maxDepth = MAX_JSON_DEPTH): UnsafeInput | undefined {
  const stack: Array<{ value: unknown; path: string[]; depth: number }> = [{ value, path: [], depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = stringProblem(v);
      if (problem) return { path: path.join('.'), problem };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { path: path.join('.'), problem: `is nested more than ${maxDepth} levels deep` };
    const entries: Array<[string, unknown]> = Array.isArray(v) ? v.map((item, i) => [String(i), item]) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, item] = entries[i]!;
      const keyProblem = Array.isArray(v) ? undefined : stringProblem(key);
      if (keyProblem) return { path: [...path, keyLabel(key)].join('.'), problem: `has a name that ${keyProblem}` };
      stack.push({ value: item, path: [...path, key], depth: depth + 1 });
    }
  }
  return undefined;
}

/** A NUL or any surrogate: only text holding one can have a problem (one scan, no allocation). */
const SUSPECT = /[\0\uD800-\uDFFF]/;

/**
 * Whether a value is plainly fine without walking it: nothing, a scalar, or a flat object of
 * scalars (a GET's params and query) with no suspect text. Anything else takes the full walk.
 */
function plainlySafe(value: unknown): boolean {
  if (typeof value === 'string') return !SUSPECT.test(value);
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return false;
  // for…in also visits inherited enumerable keys: it checks at least what the walk would.
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (SUSPECT.test(key) || (typeof item === 'object' && item !== null) || (typeof item === 'string' && SUSPECT.test(item))) return false;
  }
  return true;
}

const LABEL = { params: 'path parameter', query: 'query parameter', body: 'body field' } as const;

/**
 * Refuses such input once, at the edge, for every route (the webhook scope with its own JSON
 * parser included): registered before the auth plugin so no access rule looks an id with a NUL
 * up in the database first. The answer is a 400 naming the field, like a schema failure.
 */
export function inputGuard(app: FastifyInstance): void {
  // Callback-style: it runs on every request and awaits nothing, so it need not cost a promise.
  app.addHook('preValidation', (request, _reply, done) => {
    if (plainlySafe(request.params) && plainlySafe(request.query) && plainlySafe(request.body)) {
      done();
      return;
    }
    for (const part of ['params', 'query', 'body'] as const) {
      const found = findUnsafeInput(request[part]);
      if (!found) continue;
      const where = found.path !== '' ? `${LABEL[part]} '${found.path}'` : part === 'body' ? 'body' : `${LABEL[part]}s`;
      done(new HttpError(400, 'bad_request', `${where}: ${found.problem}.`, found.path === '' ? part : found.path));
      return;
    }
    done();
  });
}
