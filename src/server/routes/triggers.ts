import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DELIVERY_HEADER, SIGNATURE_HEADER, triggerWebhook } from '../../shared/api/triggers';
import type { Engine } from '../../engine/index';
import { TRIGGER_ACCOUNT } from '../../engine/index';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';
import { requirePipeline } from './lookups';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as sent (webhook signatures are computed over these bytes). */
    rawBody?: string;
  }
}

function signatureMatches(secret: string, raw: string, header: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Webhook triggers. Registered in their own scope so only this route keeps the raw body: the
 * HMAC must be checked against the bytes sent, not a re-serialization of the parsed JSON.
 */
export async function triggerRoutes(app: FastifyInstance, { repos }: AppDeps, engine: Engine): Promise<void> {
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      request.rawBody = body as string;
      if (body === '') return done(null, undefined);
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new HttpError(400, 'bad_request', 'Request body is not valid JSON.', 'body'), undefined);
      }
    });

    scope.addHook('preHandler', async (request) => {
      const { pipelineId } = request.params as { pipelineId: string };
      const pipeline = await requirePipeline(repos, pipelineId);
      const secrets = pipeline.triggers.flatMap((t) => (t.type === 'webhook' && t.enabled ? [t.secret] : []));
      if (secrets.length === 0) throw new HttpError(409, 'conflict', `Pipeline '${pipeline.name}' has no enabled webhook trigger.`, 'pipelineId');
      const header = request.headers[SIGNATURE_HEADER];
      if (typeof header !== 'string' || header === '') {
        throw new HttpError(401, 'unauthorized', `Sign the body: header ${SIGNATURE_HEADER} = sha256=<hex HMAC of the body with the trigger secret>.`, SIGNATURE_HEADER);
      }
      if (!secrets.some((secret) => signatureMatches(secret, request.rawBody ?? '', header))) {
        throw new HttpError(401, 'unauthorized', `Header ${SIGNATURE_HEADER} does not match the body signed with this pipeline's webhook secret.`, SIGNATURE_HEADER);
      }
    });

    registerEndpoint(scope, triggerWebhook, async ({ params, body, headers, rawBody }) => {
      const pipeline = await requirePipeline(repos, params.pipelineId);
      const delivery = headers[DELIVERY_HEADER];
      if (delivery !== undefined && (typeof delivery !== 'string' || !/^[\w.:-]{1,200}$/.test(delivery))) {
        throw new HttpError(400, 'bad_request', `Header ${DELIVERY_HEADER} must be 1-200 letters, digits or . _ : -`, DELIVERY_HEADER);
      }
      // Without a delivery id every call is a new run; with one, a retry finds the run it started.
      const cause = delivery
        ? `webhook/${pipeline.id}/${delivery}`
        : `webhook/${pipeline.id}/${createHash('sha256').update(rawBody ?? '').digest('hex')}/${randomUUID()}`;
      const { execution, duplicate } = await engine.fire(pipeline, { type: 'webhook', user: TRIGGER_ACCOUNT, parameters: body.parameters }, cause);
      return { executionId: execution.id, status: execution.status, duplicate };
    });
  });
}
