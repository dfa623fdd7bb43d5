import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DELIVERY_HEADER, SIGNATURE_HEADER, triggerWebhook } from '../../shared/api/triggers';
import type { Engine } from '../../engine/index';
import { EngineError, TRIGGER_ACCOUNT } from '../../engine/index';
import type { Trigger } from '../../shared/domain/pipeline';
import { payloadMismatch } from '../../shared/domain/payload-constraints';
import { triggerExpressionProblems } from '../../shared/domain/trigger-literals';
import { ciFacts, jenkinsPhase } from '../../shared/domain/ci-payload';
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

type Webhook = Extract<Trigger, { type: 'webhook' }>;

/** Kept with every run it starts (expressions read it), so it stays small next to the execution. */
const MAX_PAYLOAD_BYTES = 256 * 1024;

function signatureMatches(secret: string, raw: string, header: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** GitLab sends the secret itself (X-Gitlab-Token) rather than a signature. */
function tokenMatches(secret: string, header: string): boolean {
  const [a, b] = [createHash('sha256').update(secret).digest(), createHash('sha256').update(header).digest()];
  return timingSafeEqual(a, b);
}

/** GitHub signs as Kiln does (X-Hub-Signature-256: sha256=<hex HMAC>); GitLab sends the token. */
const GITHUB_SIGNATURE = 'x-hub-signature-256';
const GITLAB_TOKEN = 'x-gitlab-token';
/** Phases of Jenkins' Notification plugin after which the build is over. */
const JENKINS_DONE = new Set(['FINALIZED', 'COMPLETED']);

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

    // Which trigger's secret signed the request: its runs act as the person who set that trigger up.
    const signedBy = new WeakMap<object, Webhook>();

    // The caller is anonymous until the signature matches: no answer names the pipeline or a person.
    scope.addHook('preHandler', async (request) => {
      const { pipelineId } = request.params as { pipelineId: string };
      const pipeline = await requirePipeline(repos, pipelineId);
      const hooks = pipeline.triggers.filter((t): t is Webhook => t.type === 'webhook' && t.enabled && t.secret !== undefined);
      if (hooks.length === 0) throw new HttpError(409, 'conflict', 'This pipeline has no enabled webhook trigger.', 'pipelineId');
      const signed = [SIGNATURE_HEADER, GITHUB_SIGNATURE].find((h) => typeof request.headers[h] === 'string' && request.headers[h] !== '');
      const token = request.headers[GITLAB_TOKEN];
      if (!signed && (typeof token !== 'string' || token === '')) {
        throw new HttpError(
          401,
          'unauthorized',
          `Sign the body: header ${SIGNATURE_HEADER} (or GitHub's ${GITHUB_SIGNATURE}) = sha256=<hex HMAC of the body with the trigger secret>, or send the secret as GitLab's ${GITLAB_TOKEN}.`,
          SIGNATURE_HEADER,
        );
      }
      const hook = signed
        ? hooks.find((t) => signatureMatches(t.secret!, request.rawBody ?? '', request.headers[signed] as string))
        : hooks.find((t) => tokenMatches(t.secret!, token as string));
      if (!hook) {
        const header = signed ?? GITLAB_TOKEN;
        throw new HttpError(401, 'unauthorized', `Header ${header} does not match this pipeline's webhook secret.`, header);
      }
      signedBy.set(request, hook);
      // Saved before `${` was refused in trigger fields: such a constraint can never match, so the sender is told which field to fix.
      const index = pipeline.triggers.indexOf(hook);
      const problem = triggerExpressionProblems({ triggers: pipeline.triggers }).find((p) => p.path.startsWith(`triggers[${index}].`));
      if (problem) {
        throw new HttpError(409, 'conflict', `This webhook trigger cannot match any payload until the pipeline is edited: ${problem.path}: ${problem.message}.`, problem.path);
      }
    });

    registerEndpoint(scope, triggerWebhook, async ({ params, body, headers, rawBody, request }) => {
      const pipeline = await requirePipeline(repos, params.pipelineId);
      // GitHub and GitLab name each delivery too: a redelivery from their settings page starts nothing new.
      const delivery = headers[DELIVERY_HEADER] ?? headers['x-github-delivery'] ?? headers['x-gitlab-event-uuid'];
      if (delivery !== undefined && (typeof delivery !== 'string' || !/^[\w.:-]{1,200}$/.test(delivery))) {
        throw new HttpError(400, 'bad_request', `Header ${DELIVERY_HEADER} must be 1-200 letters, digits or . _ : -`, DELIVERY_HEADER);
      }
      // Without a delivery id every call is a new run; with one, a retry finds the run it started.
      const cause = delivery
        ? `webhook/${pipeline.id}/${delivery}`
        : `webhook/${pipeline.id}/${createHash('sha256')
            .update(rawBody ?? '')
            .digest('hex')}/${randomUUID()}`;
      // A trigger from before triggers had owners runs as the service account, which has no grant unless an admin gives one.
      const hook = signedBy.get(request);
      const user = hook?.runAs ?? TRIGGER_ACCOUNT;
      // The sender proved who it is; a payload outside the constraints (a push to another branch) is simply not for this pipeline.
      const mismatch = payloadMismatch(hook?.payloadConstraints, body);
      if (mismatch) return { duplicate: false, ignored: mismatch };
      if (headers['x-github-event'] === 'ping') return { duplicate: false, ignored: 'GitHub ping: the webhook reaches Kiln and is signed correctly' };
      const phase = jenkinsPhase(body);
      if (phase !== undefined && !JENKINS_DONE.has(phase)) return { duplicate: false, ignored: `Jenkins build phase ${phase}: a run starts when the build is finished` };
      if (Buffer.byteLength(rawBody ?? '') > MAX_PAYLOAD_BYTES) {
        throw new HttpError(413, 'payload_too_large', `A webhook body is kept with the run as trigger.payload: at most ${MAX_PAYLOAD_BYTES / 1024} KB.`, 'body');
      }
      try {
        const { execution, duplicate } = await engine.fire(pipeline, { type: 'webhook', user, parameters: body.parameters, payload: body, ...ciFacts(body) }, cause);
        return { executionId: execution.id, status: execution.status, duplicate };
      } catch (err) {
        // The engine's reasons name the pipeline and the person; they are in the audit log, not in this answer.
        if (err instanceof EngineError && err.kind === 'forbidden') {
          throw new HttpError(403, 'forbidden', 'The person this webhook trigger runs as may not start this pipeline now; an admin can read why in the audit log.', 'trigger');
        }
        if (err instanceof EngineError && err.kind === 'conflict')
          throw new HttpError(409, 'conflict', 'This pipeline cannot start now (it is disabled, or has placeholder stages to replace).', 'pipelineId');
        throw err;
      }
    });
  });
}
