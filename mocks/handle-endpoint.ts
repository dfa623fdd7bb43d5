import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import type { z } from 'zod';
import type { ApiError, Endpoint } from '../src/shared/api/endpoint';

/** Thrown by a mock resolver for a 4xx the schemas cannot express (unknown name, duplicate). */
export class MockApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(body.message);
  }
}

export const notFound = (message: string, field: string) => new MockApiError(404, { error: 'not_found', message, field });

export const conflict = (message: string, field: string) => new MockApiError(409, { error: 'conflict', message, field });

export interface MockRequest<E extends Endpoint> {
  params: z.output<E['params']>;
  query: z.output<E['query']>;
  body: z.output<E['body']>;
}

type Resolver<E extends Endpoint> = (request: MockRequest<E>) => z.input<E['response']>;

// Same wording as the BFF's error handler, so a message seen on mock data is the one users get.
const LABEL = { params: 'path parameter', query: 'query parameter', body: 'body field' } as const;

function badRequest(where: keyof typeof LABEL, error: z.ZodError): MockApiError {
  const first = error.issues[0];
  const path = first?.path.join('.') ?? '';
  const field = path === '' ? where : path;
  const message = path === '' ? `${LABEL[where]}s: ${first?.message ?? 'invalid'}` : `${LABEL[where]} '${path}': ${first?.message}`;
  return new MockApiError(400, { error: 'bad_request', message, field });
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, where: keyof typeof LABEL): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(where, result.error);
  return result.data;
}

/**
 * An MSW handler for one shared endpoint: validates params, query and body with the endpoint's
 * schemas (400 naming the field, like the BFF), runs the resolver, and checks the answer against
 * the response schema so a fixture that drifts from the contract fails loudly instead of rendering.
 */
export function handleEndpoint<E extends Endpoint>(endpoint: E, resolve: Resolver<E>): HttpHandler {
  const method = endpoint.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  // A leading wildcard matches any origin: the browser's, jsdom's and the node tests' alike.
  // `::` is Fastify's literal colon (custom methods like `butane:translate`); MSW spells it `\:`.
  const path = endpoint.path.replaceAll('::', '\\:');
  return http[method](`*${path}`, async ({ request, params }) => {
    await delay();
    try {
      const query = Object.fromEntries(new URL(request.url).searchParams);
      const hasBody = endpoint.method !== 'GET' && endpoint.method !== 'DELETE';
      const rawBody: unknown = hasBody ? await request.json().catch(() => undefined) : undefined;
      const result = resolve({
        params: parseOrThrow<E['params']>(endpoint.params, params, 'params'),
        query: parseOrThrow<E['query']>(endpoint.query, query, 'query'),
        body: parseOrThrow<E['body']>(endpoint.body, rawBody, 'body'),
      });
      const response: unknown = endpoint.response.parse(result);
      return HttpResponse.json(response as never, { status: endpoint.status });
    } catch (err) {
      if (err instanceof MockApiError) return HttpResponse.json(err.body, { status: err.status });
      throw err;
    }
  });
}
