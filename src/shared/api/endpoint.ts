import { z } from 'zod';
import { API_ERROR_CODES } from './api-error';

// The dashboard's first page calls the BFF without loading zod: the path builder and the error
// check live in zod-free files (client.ts uses them).
export { buildPath } from './build-path';

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
  error: z.enum(API_ERROR_CODES),
  message: z.string(),
  field: z.string().optional(),
  /** Machine-readable extras: every validation problem, or the current revision on a save conflict. */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiError = z.infer<typeof ApiError>;
