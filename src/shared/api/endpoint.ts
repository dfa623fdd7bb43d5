import { z } from 'zod';

/**
 * One HTTP endpoint of the BFF, described once: the server registers it as a route schema,
 * the SPA builds URLs and parses responses with it, MSW handlers answer with it.
 */
export interface Endpoint<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify-style path with `:param` segments. */
  path: string;
  summary: string;
  params: P;
  query: Q;
  body: B;
  response: R;
  /** Status code of a successful answer. */
  status: 200 | 201 | 202 | 204;
}

export const NoParams = z.object({});
export const NoQuery = z.object({});
export const NoBody = z.undefined();

export function endpoint<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  e: Partial<Pick<Endpoint<P, Q, B, R>, 'params' | 'query' | 'body' | 'status'>> & Pick<Endpoint<P, Q, B, R>, 'method' | 'path' | 'summary' | 'response'>,
): Endpoint<P, Q, B, R> {
  return {
    params: NoParams as unknown as P,
    query: NoQuery as unknown as Q,
    body: NoBody as unknown as B,
    status: 200,
    ...e,
  };
}

/** Every error the BFF sends: a code, a sentence for people, and the offending field when there is one. */
export const ApiError = z.object({
  error: z.enum(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'payload_too_large', 'unsupported_media_type', 'too_many_requests', 'internal']),
  message: z.string(),
  field: z.string().optional(),
  /** Machine-readable extras: every validation problem, or the current revision on a save conflict. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/**
 * Replaces `:param` segments; values are URL-encoded so names with dots or tildes survive.
 * `::` is Fastify's escape for a literal colon (custom methods such as `butane::translate`).
 */
export function buildPath(path: string, params: Record<string, string | number>): string {
  return path.replace(/::|:([A-Za-z]+)/g, (_, key: string | undefined) => {
    if (key === undefined) return ':';
    const value = params[key];
    if (value === undefined) throw new Error(`missing path parameter ${key} for ${path}`);
    return encodeURIComponent(String(value));
  });
}
