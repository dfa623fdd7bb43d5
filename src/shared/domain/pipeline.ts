import { z } from 'zod';
import { ApplicationName } from './names';
import { Timestamp } from './ids';
import { TemplateString } from '../stages/definition';
import { isTimeZone, parseCron } from './cron';
import { ChannelName } from './image';

export const PipelineId = z.uuid('pipeline id must be a UUID').brand<'PipelineId'>();
export type PipelineId = z.infer<typeof PipelineId>;

export const RefId = z
  .string()
  .min(1, 'refId must not be empty')
  .max(64, 'refId must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'refId may only hold letters, digits, _ and -');

export const FailPolicy = z.enum(['halt_pipeline', 'halt_branch', 'fail_after_branches', 'ignore']);
export type FailPolicy = z.infer<typeof FailPolicy>;

/**
 * A stage as stored. `type` is a plain string here so a pipeline with an unknown or future stage
 * type can still be read and shown; validatePipeline() says what is wrong with it.
 */
export const StageConfig = z.object({
  refId: RefId,
  type: z.string().min(1, 'type must not be empty'),
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  requisiteStageRefIds: z.array(z.string()).default([]),
  config: z.record(z.string(), z.unknown()).default({}),
  failPolicy: FailPolicy.default('halt_pipeline'),
  timeoutSec: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 3600)
    .optional(),
  /** Run the stage only when this `${ … }` is true; otherwise it is SKIPPED. */
  condition: TemplateString.optional(),
});
export type StageConfig = z.infer<typeof StageConfig>;

/**
 * Written by the server, never taken from the client: who last added or changed an automatic
 * trigger. Its runs act as that person, with their permissions as they are when it fires.
 */
const TriggerStamp = {
  /** Kept across saves so an unchanged trigger keeps its owner; the server assigns one to a new trigger. */
  id: z.string().min(1).max(64).optional(),
  runAs: z.string().optional(),
  setAt: Timestamp.optional(),
};

const WebhookTriggerFields = {
  type: z.literal('webhook'),
  enabled: z.boolean().default(true),
  ...TriggerStamp,
  /**
   * The run starts only when each of these payload fields (a dot path such as `repository.full_name`)
   * matches its regular expression in full, as Spinnaker's payloadConstraints; otherwise it is ignored.
   */
  payloadConstraints: z
    .record(
      z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'a payload constraint names a field as a dot path like repository.full_name'),
      z
        .string()
        .max(500)
        .refine((r) => {
          try {
            new RegExp(r);
            return true;
          } catch {
            return false;
          }
        }, 'a payload constraint is a regular expression'),
    )
    .optional(),
  /** What the API answers instead of the secret, which is write-only. */
  secretSet: z.boolean().optional(),
  secretSetAt: Timestamp.optional(),
  secretSetBy: z.string().optional(),
};
const secretOrKept = (t: { secret?: string | undefined; secretSet?: boolean | undefined }, ctx: z.RefinementCtx) => {
  if (t.secret === undefined && t.secretSet !== true) {
    ctx.addIssue({ code: 'custom', path: ['secret'], message: 'a webhook trigger needs a shared secret (16+ characters)' });
  }
};

const CronTrigger = z.object({
  type: z.literal('cron'),
  enabled: z.boolean().default(true),
  ...TriggerStamp,
  // A `${` here was stored before such fields were refused: the pipeline still loads, so the editor
  // can show why the trigger never fires and the scheduler reports it and skips it; a save is
  // refused by validatePipeline (trigger-literals.ts), which says so in place of a parse error.
  expression: z.string().superRefine((e, ctx) => {
    if (e.includes('${')) return;
    try {
      parseCron(e);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  }),
  timezone: z
    .string()
    .default('UTC')
    .refine((tz) => tz.includes('${') || isTimeZone(tz), 'timezone must be an IANA time zone such as Europe/Berlin'),
});
const PipelineTrigger = z.object({
  type: z.literal('pipeline'),
  enabled: z.boolean().default(true),
  ...TriggerStamp,
  application: ApplicationName,
  pipeline: z.string().min(1),
  statuses: z
    .array(z.enum(['succeeded', 'failed', 'canceled']))
    .min(1)
    .default(['succeeded']),
});
const isRegExp = (r: string) => {
  try {
    new RegExp(r);
    return true;
  } catch {
    return false;
  }
};
/**
 * Kiln's image registry: a version of `image` put on `channel` (every new version lands on
 * `latest`) starts a run with `trigger.image` and `trigger.version`, when the version matches.
 */
const RegistryTrigger = z.object({
  type: z.literal('registry'),
  enabled: z.boolean().default(true),
  ...TriggerStamp,
  image: z.string().trim().min(1, 'image must name an image of the registry').max(128),
  channel: ChannelName.default('latest'),
  /** The version label (v12) must match this regular expression in full. */
  versionRegex: z.string().max(200).refine(isRegExp, 'versionRegex must be a regular expression').optional(),
});
const ManualTrigger = z.object({ type: z.literal('manual'), enabled: z.boolean().default(true), id: TriggerStamp.id });

/** A trigger as saved and stored. A webhook trigger sent back without its secret keeps the stored one. */
export const Trigger = z.discriminatedUnion('type', [
  ManualTrigger,
  z
    .object({
      ...WebhookTriggerFields,
      /** Callers prove who they are with this shared secret (HMAC of the body). Write-only. */
      secret: z.string().min(16, 'a webhook secret must be at least 16 characters').max(200).optional(),
    })
    .superRefine(secretOrKept),
  CronTrigger,
  PipelineTrigger,
  RegistryTrigger,
]);
export type Trigger = z.infer<typeof Trigger>;

export const PipelineParameter = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a parameter name is letters, digits and _'),
  label: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  default: z.string().max(10_000).optional(),
  required: z.boolean().default(false),
  options: z.array(z.string()).optional(),
});
export type PipelineParameter = z.infer<typeof PipelineParameter>;

export const NotificationEvent = z.enum(['started', 'succeeded', 'failed', 'judgment']);
export const Notification = z.object({
  /** Credentials in it (user:pass@, token=… and the like) are write-only: answered masked (see pipeline-secrets.ts). */
  url: z.url({ protocol: /^https?$/, error: 'notification url must be an http(s) URL' }),
  events: z.array(NotificationEvent).min(1, 'choose at least one event'),
  /** Written by the server when credentials in the URL are set or replaced. */
  credentialsSetAt: Timestamp.optional(),
  credentialsSetBy: z.string().optional(),
});

export const Concurrency = z.object({
  /** At most maxConcurrentExecutions run at once; others wait (BUFFERED) or are canceled. */
  limitConcurrent: z.boolean().default(true),
  keepWaitingPipelines: z.boolean().default(false),
  maxConcurrentExecutions: z.number().int().min(1).max(100).default(1),
});

/** What an editor or the API sends to save a pipeline. */
export const PipelineDraft = z.object({
  application: ApplicationName,
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  description: z.string().max(5000).default(''),
  stages: z.array(StageConfig).max(2000, 'a pipeline has at most 2000 stages'),
  triggers: z.array(Trigger).default([{ type: 'manual', enabled: true }]),
  parameters: z.array(PipelineParameter).default([]),
  notifications: z.array(Notification).default([]),
  concurrency: Concurrency.default({ limitConcurrent: true, keepWaitingPipelines: false, maxConcurrentExecutions: 1 }),
  disabled: z.boolean().default(false),
});
export type PipelineDraft = z.infer<typeof PipelineDraft>;

export const Pipeline = PipelineDraft.extend({
  id: PipelineId,
  /** Increases by one on every save; a save naming an older revision is a conflict. */
  revision: z.number().int().positive(),
  updatedAt: Timestamp,
  updatedBy: z.string(),
});
export type Pipeline = z.infer<typeof Pipeline>;

/** A trigger as the API answers it: a webhook trigger's secret is never in it, only when and by whom it was set. */
export const PublicTrigger = z.discriminatedUnion('type', [ManualTrigger, z.object(WebhookTriggerFields), CronTrigger, PipelineTrigger, RegistryTrigger]);
export type PublicTrigger = z.infer<typeof PublicTrigger>;

/**
 * A pipeline as every API answer carries it. The schema has no `secret`, so the response
 * serializer drops one even if a route forgot to mask it.
 */
export const PublicPipeline = Pipeline.extend({ triggers: z.array(PublicTrigger) });
export type PublicPipeline = z.infer<typeof PublicPipeline>;
