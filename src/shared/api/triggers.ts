import { z } from 'zod';
import { endpoint } from './endpoint';
import { PipelineParams } from './pipelines';
import { ExecutionId, ExecutionStatus } from '../domain/execution';

/** Header with `sha256=<hex HMAC-SHA256 of the raw body, keyed by the trigger's secret>` (GitHub's scheme). */
export const SIGNATURE_HEADER = 'x-kiln-signature';
/** Optional sender-chosen delivery id: a retried delivery with the same id starts nothing new. */
export const DELIVERY_HEADER = 'x-kiln-delivery';

/**
 * A machine's way in, not the SPA's: it needs the raw body and headers, so like the SSE stream it
 * is registered by its route file and kept out of `allEndpoints` (and the mocks).
 */
export const triggerWebhook = endpoint({
  method: 'POST',
  path: '/api/pipelines/:pipelineId/webhook',
  summary:
    'Start a pipeline from a webhook. Sign the raw body with the webhook trigger secret (X-Kiln-Signature: sha256=<hex>); X-Kiln-Delivery makes a retried delivery return the first run (duplicate: true)',
  params: PipelineParams,
  // Any JSON object: `parameters` fill the pipeline's parameters, and the whole body is `trigger.payload` to expressions.
  body: z.looseObject({ parameters: z.record(z.string(), z.string().max(10_000)).default({}) }).default({ parameters: {} }),
  response: z.object({
    executionId: ExecutionId.optional(),
    status: ExecutionStatus.optional(),
    duplicate: z.boolean(),
    /** Set when the payload did not meet the trigger's payload constraints: nothing started, and why. */
    ignored: z.string().optional(),
  }),
  status: 202,
});
