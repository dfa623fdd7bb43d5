import { z } from 'zod';
import { defineStage, Seconds, TemplateString } from './definition';

const UrlTemplate = TemplateString.refine((u) => u.startsWith('${') || /^https?:\/\/[^\s]+$/.test(u), 'must be an http(s) URL or a ${ … } expression');

export const webhookStage = defineStage({
  label: 'Webhook',
  description:
    'Calls an HTTP API; succeeds on the listed status codes, optionally polling a status URL until done. ' +
    'Addresses on this machine or a private network are refused unless KILN_OUTBOUND_ALLOW names them; ' +
    'the first 64 KB of the answer are kept (output truncated: true when it was cut); when polling, the final status answer is output `response` (statusCode, body).',
  config: z.object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
    url: UrlTemplate,
    headers: z.record(z.string().min(1), TemplateString).default({}),
    body: TemplateString.optional(),
    successStatusCodes: z.array(z.number().int().min(100).max(599)).min(1).default([200, 201, 202, 204]),
    timeoutSec: Seconds(3600).min(1).default(60),
    poll: z
      .object({
        statusUrl: UrlTemplate,
        /** Dot path into the JSON answer, e.g. `status` or `build.result`. */
        statusField: z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, 'statusField is a dot path like build.result'),
        successValues: z.array(z.string()).min(1),
        failureValues: z.array(z.string()).default([]),
        intervalSec: Seconds(3600).min(1).default(10),
      })
      .optional(),
  }),
  defaults: { method: 'POST', url: 'https://example.com/hook', headers: {}, successStatusCodes: [200, 201, 202, 204], timeoutSec: 60 },
});
