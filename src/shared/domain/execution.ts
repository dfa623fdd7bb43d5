import { z } from 'zod';
import { ApplicationName } from './names';
import { Timestamp } from './ids';
import { FailPolicy, PipelineId } from './pipeline';

export const ExecutionId = z.uuid('execution id must be a UUID').brand<'ExecutionId'>();
export type ExecutionId = z.infer<typeof ExecutionId>;

/** Spinnaker's (Orca's) statuses, shared by executions and stages. */
export const ExecutionStatus = z.enum(['NOT_STARTED', 'BUFFERED', 'RUNNING', 'PAUSED', 'SUSPENDED', 'SUCCEEDED', 'FAILED_CONTINUE', 'TERMINAL', 'CANCELED', 'SKIPPED', 'STOPPED']);
export type ExecutionStatus = z.infer<typeof ExecutionStatus>;

/** Finished for good: nothing more will happen to it unless a person restarts it. */
export const COMPLETED: ReadonlySet<ExecutionStatus> = new Set(['SUCCEEDED', 'FAILED_CONTINUE', 'TERMINAL', 'CANCELED', 'SKIPPED', 'STOPPED']);

/** Finished in a way that lets the stages after it run. */
export const LETS_DOWNSTREAM_RUN: ReadonlySet<ExecutionStatus> = new Set(['SUCCEEDED', 'FAILED_CONTINUE', 'SKIPPED']);

export const TriggerRecord = z.object({
  type: z.enum(['manual', 'webhook', 'cron', 'pipeline', 'registry']),
  user: z.string(),
  parameters: z.record(z.string(), z.string()).default({}),
  /** The body a webhook trigger was called with, as `trigger.payload` to expressions. */
  payload: z.unknown().optional(),
  /** What a GitHub, GitLab or Jenkins delivery said about the build (see ci-payload.ts). */
  commit: z.string().max(200).optional(),
  branch: z.string().max(500).optional(),
  tag: z.string().max(500).optional(),
  buildNumber: z.number().int().optional(),
  buildUrl: z.string().max(2000).optional(),
  /** The image version a `registry` trigger fired for (`sample-app`, `v12`), and the channel it was put on. */
  image: z.string().max(128).optional(),
  version: z.string().max(64).optional(),
  channel: z.string().max(40).optional(),
  /**
   * Newer versions arrived before the trigger looked (Kiln was stopped, or several came at once):
   * one run starts, for the newest; these (newest first, at most 50 of `skippedCount`) start none.
   */
  skippedVersions: z.array(z.string().max(64)).max(50).optional(),
  skippedCount: z.number().int().positive().optional(),
  /** The parent execution for `pipeline` triggers and `pipeline` stages. */
  parentExecutionId: ExecutionId.optional(),
  parentStageRefId: z.string().optional(),
});
export type TriggerRecord = z.infer<typeof TriggerRecord>;

/** One phase of a stage (start the job, wait for it, poll a status URL…), with its own times. */
export const StageTask = z.object({
  name: z.string(),
  status: ExecutionStatus,
  startedAt: Timestamp,
  endedAt: Timestamp.optional(),
});
export type StageTask = z.infer<typeof StageTask>;

export const StageExecution = z.object({
  refId: z.string(),
  type: z.string(),
  name: z.string(),
  requisiteStageRefIds: z.array(z.string()),
  failPolicy: FailPolicy,
  /** The stage's config as the pipeline revision had it (expressions not yet evaluated). */
  config: z.record(z.string(), z.unknown()).default({}),
  condition: z.string().optional(),
  /** The stage fails when it runs longer than this (time the execution spent paused not counted). */
  timeoutSec: z.number().int().positive().optional(),
  status: ExecutionStatus,
  startedAt: Timestamp.optional(),
  endedAt: Timestamp.optional(),
  /** Values later stages read as `${ stages['Name'].outputs.key }`. */
  outputs: z.record(z.string(), z.unknown()).default({}),
  /** What went wrong, in plain words. */
  error: z.string().optional(),
  /** How many times a person restarted it. */
  attempt: z.number().int().min(1).default(1),
  /** The handler's durable progress (when a wait ends, the judgment made), so a restart resumes it. */
  context: z.record(z.string(), z.unknown()).default({}),
  tasks: z.array(StageTask).default([]),
});
export type StageExecution = z.infer<typeof StageExecution>;

/** Who paused an execution and why; `totalMs` sums every finished pause (waits and timeouts skip it). */
export const PauseRecord = z.object({
  by: z.string(),
  at: Timestamp,
  reason: z.string().optional(),
  resumedBy: z.string().optional(),
  resumedAt: Timestamp.optional(),
  totalMs: z.number().int().min(0).default(0),
});
export type PauseRecord = z.infer<typeof PauseRecord>;

export const Execution = z.object({
  id: ExecutionId,
  application: ApplicationName,
  pipelineId: PipelineId,
  pipelineName: z.string(),
  pipelineRevision: z.number().int().positive(),
  status: ExecutionStatus,
  trigger: TriggerRecord,
  stages: z.array(StageExecution),
  createdAt: Timestamp,
  startedAt: Timestamp.optional(),
  endedAt: Timestamp.optional(),
  canceledBy: z.string().optional(),
  cancelReason: z.string().optional(),
  paused: PauseRecord.optional(),
});
export type Execution = z.infer<typeof Execution>;
