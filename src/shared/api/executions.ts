import { z } from 'zod';
import { endpoint } from './endpoint';
import { ApplicationParams } from './applications';
import { PipelineParams } from './pipelines';
import { Execution, ExecutionId, ExecutionStatus, TriggerRecord } from '../domain/execution';
import { ApplicationName } from '../domain/names';
import { Timestamp } from '../domain/ids';
import { PipelineId } from '../domain/pipeline';

export const ExecutionParams = z.object({ executionId: ExecutionId });

/** A whole number in a query string, with messages that name the parameter. */
function wholeNumber(name: string, min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().int().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`));
}

export const startExecution = endpoint({
  method: 'POST',
  path: '/api/pipelines/:pipelineId/executions',
  summary: 'Start a pipeline by hand with parameters; 400 names a missing or unknown parameter',
  params: PipelineParams,
  body: z.object({ parameters: z.record(z.string(), z.string().max(10_000)).default({}) }),
  response: Execution,
  status: 201,
});

export const getExecution = endpoint({
  method: 'GET',
  path: '/api/executions/:executionId',
  summary: 'One execution with its stages, outputs and errors',
  params: ExecutionParams,
  response: Execution,
});

/** A query-string instant; a bad one is a 400 naming the parameter. */
const instant = (name: string) => z.string().refine((v) => !Number.isNaN(Date.parse(v)), `${name} must be an ISO-8601 time such as 2026-11-23T10:00:00Z`);

export const ExecutionsQuery = z.object({
  limit: wholeNumber('limit', 1, 200).optional(),
  cursor: z.string().max(200).optional(),
  /** One status or several, comma-separated (`RUNNING,PAUSED,SUSPENDED`). */
  status: z
    .string()
    .transform((v, ctx) => {
      const wanted = v
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
      const unknown = wanted.find((x) => !ExecutionStatus.safeParse(x).success);
      if (wanted.length === 0 || unknown !== undefined) {
        ctx.addIssue({ code: 'custom', message: `'${unknown ?? v}' is not an execution status (${ExecutionStatus.options.join(', ')})` });
        return z.NEVER;
      }
      return wanted as ExecutionStatus[];
    })
    .optional(),
  pipeline: PipelineId.optional(),
  trigger: TriggerRecord.shape.type.optional(),
  /** Created at or after / before these times. */
  since: instant('since').optional(),
  until: instant('until').optional(),
});

export const ExecutionPage = z.object({
  executions: z.array(Execution),
  /** Pass as `cursor` for the next, older page; absent on the last page. */
  nextCursor: z.string().optional(),
});

export const listExecutions = endpoint({
  method: 'GET',
  path: '/api/applications/:application/executions',
  summary: "An application's executions, newest first, 25 a page (at most 200), filtered by status or pipeline",
  params: ApplicationParams,
  query: ExecutionsQuery,
  response: ExecutionPage,
});

export const listAllExecutions = endpoint({
  method: 'GET',
  path: '/api/executions',
  summary: 'Executions across applications (e.g. `status=RUNNING,PAUSED,SUSPENDED` for what runs now), newest first, with the same filters',
  query: ExecutionsQuery.extend({ application: ApplicationName.optional() }),
  response: ExecutionPage,
});

export const pauseExecution = endpoint({
  method: 'POST',
  path: '/api/executions/:executionId/pause',
  summary: 'Pause a running execution: no stage starts or advances until it is resumed; running jobs keep running',
  params: ExecutionParams,
  body: z.object({ reason: z.string().trim().max(2000).optional() }).default({}),
  response: Execution,
});

export const resumeExecution = endpoint({
  method: 'POST',
  path: '/api/executions/:executionId/resume',
  summary: 'Resume a paused execution; waits and stage timeouts do not count the paused time',
  params: ExecutionParams,
  body: z.object({}).default({}),
  response: Execution,
});

export const Delivery = z.object({
  id: z.number().int(),
  event: z.string(),
  url: z.string(),
  attempts: z.number().int(),
  createdAt: z.string(),
  nextAttemptAt: z.string(),
  deliveredAt: z.string().optional(),
  failedAt: z.string().optional(),
  lastError: z.string().optional(),
});

export const listExecutionNotifications = endpoint({
  method: 'GET',
  path: '/api/executions/:executionId/notifications',
  summary: "The execution's webhook notifications and whether each was delivered (attempts, last error)",
  params: ExecutionParams,
  response: z.object({ notifications: z.array(Delivery) }),
});

export const cancelExecution = endpoint({
  method: 'POST',
  path: '/api/executions/:executionId/cancel',
  summary: 'Cancel a running execution, with the reason recorded',
  params: ExecutionParams,
  body: z.object({ reason: z.string().trim().min(1, 'reason must not be empty').max(2000) }),
  response: Execution,
});

export const JudgmentBody = z
  .object({
    decision: z.enum(['approve', 'reject']),
    comment: z.string().trim().max(5000).optional(),
    input: z.string().max(100).optional(),
  })
  .refine((b) => b.decision === 'approve' || (b.comment ?? '') !== '', { message: 'a rejection needs a comment', path: ['comment'] });

export const judgeStage = endpoint({
  method: 'POST',
  path: '/api/executions/:executionId/stages/:refId/judgment',
  summary: 'Approve or reject a waiting manual judgment; 409 when it was already judged or is not waiting',
  params: ExecutionParams.extend({ refId: z.string().min(1).max(64) }),
  body: JudgmentBody,
  response: Execution,
});

/** `at`: when the line was stored (lines arrive in chunks of up to a second, so neighbours share it). */
export const LogLine = z.object({ seq: z.number().int().positive(), refId: z.string(), line: z.string(), at: Timestamp });
export type LogLine = z.infer<typeof LogLine>;

export const LogQuery = z
  .object({
    stage: z.string().min(1).max(64).optional(),
    after: wholeNumber('after', 0, Number.MAX_SAFE_INTEGER).optional(),
    /** The page before a line: the last `limit` lines with a smaller seq (scrolling up from the tail). */
    before: wholeNumber('before', 1, Number.MAX_SAFE_INTEGER).optional(),
    /** The last `limit` lines: a viewer opens a long log at its end. */
    tail: z
      .enum(['true', 'false'], { message: "tail must be 'true' or 'false'" })
      .transform((v) => v === 'true')
      .optional(),
    limit: wholeNumber('limit', 1, 5000).optional(),
  })
  .refine((q) => !(q.tail && q.before !== undefined), { message: 'tail and before cannot be combined', path: ['tail'] })
  .refine((q) => !(q.after !== undefined && (q.tail || q.before !== undefined)), {
    message: 'after reads forwards; it cannot be combined with tail or before',
    path: ['after'],
  });

export const getExecutionLogs = endpoint({
  method: 'GET',
  path: '/api/executions/:executionId/logs',
  summary:
    'Log lines after sequence number `after` (default 0), or the last lines (`tail=true`) or those before `before`, optionally of one stage, at most `limit` (default 1000, max 5000)',
  params: ExecutionParams,
  query: LogQuery,
  response: z.object({
    lines: z.array(LogLine),
    /** Ask again with `after` = this for what comes next (live logs arrive as `log.lines` events too). */
    nextAfter: z.number().int().nonnegative(),
    /** How many lines come before the first one returned (ask with `before` = its seq); line numbers start after them. */
    earlier: z.number().int().nonnegative(),
  }),
});

const StageParams = ExecutionParams.extend({ refId: z.string().min(1).max(64) });
const Reason = z.object({ reason: z.string().trim().min(1, 'reason must not be empty').max(2000) });

export const restartStage = endpoint({
  method: 'POST',
  path: '/api/executions/:executionId/stages/:refId/restart',
  summary: 'Run a finished stage and every stage after it again; an ended execution runs again. Past a rejected judgment only an admin may, with a `reason`',
  params: StageParams,
  body: z.object({ reason: z.string().trim().min(1, 'reason must not be empty').max(2000).optional() }).default({}),
  response: Execution,
});

export const skipStage = endpoint({
  method: 'POST',
  path: '/api/executions/:executionId/stages/:refId/skip',
  summary: 'Skip a waiting (wait, judgment) or failed stage, with the reason recorded; the stages after it run',
  params: StageParams,
  body: Reason,
  response: Execution,
});

export const ignoreStageFailure = endpoint({
  method: 'POST',
  path: '/api/executions/:executionId/stages/:refId/ignore-failure',
  summary: 'Mark a failed stage FAILED_CONTINUE, with the reason recorded, so the stages after it run',
  params: StageParams,
  body: Reason,
  response: Execution,
});
