import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { NoParams, NoQuery, type Endpoint } from '../../shared/api/endpoint';

/** What an endpoint without path or query parameters sees: `z.object({})` strips whatever was sent. */
const NOTHING = Object.freeze({});

export interface EndpointRequest<E extends Endpoint> {
  params: z.output<E['params']>;
  query: z.output<E['query']>;
  body: z.output<E['body']>;
  headers: Record<string, string | string[] | undefined>;
  /** Only routes that keep it (webhooks) have it. */
  rawBody: string | undefined;
  /** Who acts (the signed-in user's name), for what the route records. */
  actor: string;
  /** For the few routes that need more (cookies, the user's grants). */
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * Registers a route from its shared endpoint description, so the schema the SPA parses with,
 * the one the BFF validates with and the OpenAPI document can never drift apart.
 */
export function registerEndpoint<E extends Endpoint>(app: FastifyInstance, endpoint: E, handler: (request: EndpointRequest<E>) => Promise<z.input<E['response']>>): void {
  const hasBody = endpoint.method !== 'GET' && endpoint.method !== 'DELETE';
  // Parsing `{}` against an empty object schema still cost two zod runs per request (health, lists);
  // such routes get no schema and their handler the empty object the schema would have produced.
  const noParams = endpoint.params === NoParams;
  const noQuery = endpoint.query === NoQuery;
  app.withTypeProvider<ZodTypeProvider>().route({
    method: endpoint.method,
    url: endpoint.path,
    schema: {
      summary: endpoint.summary,
      ...(noParams ? {} : { params: endpoint.params }),
      ...(noQuery ? {} : { querystring: endpoint.query }),
      ...(hasBody ? { body: endpoint.body } : {}),
      response: { [endpoint.status]: endpoint.response },
    },
    handler: async (request, reply) => {
      const result = await handler({
        params: (noParams ? NOTHING : request.params) as z.output<E['params']>,
        query: (noQuery ? NOTHING : request.query) as z.output<E['query']>,
        body: request.body as z.output<E['body']>,
        headers: request.headers,
        rawBody: request.rawBody,
        actor: request.me?.user.name ?? 'anonymous',
        request,
        reply,
      });
      // A route answering from a cache may find the caller already holds the answer (cached-answer.ts).
      if (reply.statusCode !== 304) reply.status(endpoint.status);
      return reply.send(result);
    },
  });
}
