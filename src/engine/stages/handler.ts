import type { Execution, StageExecution, TriggerRecord } from '../../shared/domain/execution';
import type { Pipeline } from '../../shared/domain/pipeline';
import type { Repositories } from '../../db/types';
import type { CloudProviders } from '../cloud/provider';
import type { JobRunner } from '../jobs/job-runner';
import type { HttpCaller } from '../jobs/http-caller';

/** What a handler sees of one step of its stage. */
export interface StepInput<C> {
  execution: Execution;
  stage: StageExecution;
  /** The stage config, checked against its shared schema; `${ … }` still unevaluated. */
  config: C;
  /** Evaluates every `${ … }` in a value against stage outputs, parameters and the trigger. */
  resolve: (value: unknown) => unknown;
  now: Date;
  repos: Repositories;
  /** This process's job runner and lease owner name (runJob needs both). */
  services: {
    jobs: JobRunner;
    http: HttpCaller;
    owner: string;
    /** Starts another pipeline (the `pipeline` stage), with a chosen id so a retry finds it. */
    startExecution: (pipeline: Pipeline, trigger: TriggerRecord, id: string) => Promise<Execution>;
    /** The cloud behind each account, for deploy and server-group stages; absent when the engine runs without one. */
    cloud?: CloudProviders;
    /**
     * Stores the stage's launch record (merged into its context) in one compare-and-set with the
     * lease; only once it resolved may the handler start its side effect, so no other process ever
     * starts it too. It throws (and the engine reloads the execution) when another process launched
     * it or this one lost the lease. `replacing` takes over a stale record (its launchedAt), once.
     */
    recordLaunch: (record: Record<string, unknown>, replacing?: string) => Promise<void>;
    /**
     * Appends lines to the stage's log (stored, and streamed live as `log.lines`): how a stage
     * without a job of its own shows its progress. A step repeated after a crash may repeat a line.
     * `cursor` is stored with the lines: where they end in the source they were read from (a container's log).
     */
    log: (lines: string[], cursor?: string) => Promise<void>;
  };
}

/**
 * One step of a stage. Handlers are re-entrant: progress lives in `context`, which the engine
 * stores, so a step that runs again after a crash picks up where the last stored step left off.
 */
export type StepResult =
  | { status: 'RUNNING'; wakeAt: Date; context?: Record<string, unknown> }
  | { status: 'SUSPENDED'; wakeAt?: Date; context?: Record<string, unknown> }
  | { status: 'SUCCEEDED'; outputs?: Record<string, unknown>; context?: Record<string, unknown> }
  | { status: 'FAILED'; error: string; context?: Record<string, unknown> };

export interface StageHandler<C = unknown> {
  // A property, not a method: methods are checked bivariantly, which would let a handler of one
  // stage type's config stand in for another's in the registry.
  step: (input: StepInput<C>) => Promise<StepResult>;
  /**
   * The name of the phase the stage is in, read from its stored context after a step ("Run the
   * job", "Poll the status URL"); shown as the stage's tasks. Without it the stage is one task.
   */
  taskName?(context: Record<string, unknown>): string;
}

export function defineHandler<C>(handler: StageHandler<C>): StageHandler<C> {
  return handler;
}
