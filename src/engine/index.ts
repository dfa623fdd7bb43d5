import { randomUUID } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobRunner } from './jobs/job-runner';
import { createHttpCaller } from './jobs/http-caller';
import { Execution, type TriggerRecord } from '../shared/domain/execution';
import type { Pipeline } from '../shared/domain/pipeline';
import { isStageType } from '../shared/stages/registry';
import type { Repositories } from '../db/types';
import type { EventBus } from './events/event-bus';
import { advanceExecution } from './orchestrator/run-execution';
import { Judgment } from './stages/manual-judgment';
import { EngineError } from './errors';
import { createOperations } from './operations';
import type { CloudProviders } from './cloud/provider';

export { EngineError };

export interface EngineOptions {
  repos: Repositories;
  events: EventBus;
  /** Injected so tests drive time; defaults to the wall clock. */
  now?: () => Date;
  /** Unique per process: leases name their owner. */
  owner?: string;
  leaseMs?: number;
  tickMs?: number;
  /** Where jobs without a workingDir run (one directory per stage). */
  jobsRoot?: string;
  /** The cloud behind each account for deploy stages (main.ts passes the local cloud). */
  cloud?: CloudProviders;
  onError?: (err: unknown) => void;
}

export interface Engine {
  start(pipeline: Pipeline, trigger: TriggerRecord): Promise<Execution>;
  cancel(executionId: string, by: string, reason: string): Promise<Execution>;
  judge(executionId: string, refId: string, judgment: Omit<Judgment, 'at'>): Promise<Execution>;
  /** Runs a finished stage and everything after it again. */
  restartStage(executionId: string, refId: string, by: string): Promise<Execution>;
  /** Skips a waiting (wait, judgment) or failed stage; the stages after it run. */
  skipStage(executionId: string, refId: string, by: string, reason: string): Promise<Execution>;
  /** Turns a failed stage into FAILED_CONTINUE so the stages after it run. */
  ignoreFailure(executionId: string, refId: string, by: string, reason: string): Promise<Execution>;
  /** Claims and advances every execution with work due; returns how many it advanced. */
  tick(): Promise<number>;
  /** Ticks on a timer until stop(); start() and judge() also tick at once. */
  run(): void;
  stop(): Promise<void>;
  /** Kills this process's running jobs (shutdown); their stages fail as interrupted on the next look. */
  killJobs(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const { repos, events } = options;
  const now = options.now ?? (() => new Date());
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  // Keys are `${executionId}/…`: an answer makes its execution due at once.
  const http = createHttpCaller((key) => void repos.executions.wake(key.split('/')[0]!).then(kick, options.onError));
  const jobs = createJobRunner({
    repos,
    events,
    jobsRoot: options.jobsRoot ?? join(tmpdir(), 'kiln-jobs'),
    // A finished job makes its execution due at once instead of at the next poll.
    onExit: (id) => void repos.executions.wake(id).then(kick, options.onError),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  let ticking: Promise<number> | undefined;
  let again = false;

  const tickOnce = async () => {
    const ids = await repos.executions.claim(owner, now(), leaseMs, 20);
    for (const id of ids) {
      let wakeAt: Date | null | 'never' = null;
      try {
        wakeAt = await advanceExecution(id, { repos, events, now, jobs, http, owner, startExecution, cloud: options.cloud });
      } catch (err) {
        options.onError?.(err);
        wakeAt = new Date(now().getTime() + 1000); // retry soon rather than spin on a failing query
      } finally {
        await repos.executions.release(id, owner, wakeAt);
      }
    }
    return ids.length;
  };

  // One tick at a time per process; a request for another while one runs is coalesced into one more.
  const tick = async (): Promise<number> => {
    if (ticking) {
      again = true;
      return ticking;
    }
    ticking = (async () => {
      let total = 0;
      do {
        again = false;
        total += await tickOnce();
      } while (again);
      return total;
    })().finally(() => (ticking = undefined));
    return ticking;
  };
  let stopped = false;
  // After stop() nothing new is started here: a stopped engine is as good as a dead process.
  const kick = () => {
    if (!stopped) void tick().catch((err: unknown) => options.onError?.(err));
  };

  const get = async (id: string) => {
    const execution = await repos.executions.get(id);
    if (!execution) throw new EngineError('not_found', `Execution '${id}' does not exist.`, 'executionId');
    return execution;
  };

  async function startExecution(pipeline: Pipeline, trigger: TriggerRecord, id?: string): Promise<Execution> {
    if (pipeline.disabled) throw new EngineError('conflict', `Pipeline '${pipeline.name}' is disabled.`);
    // Saved pipelines are validated, but one stored by a newer Kiln may name a type this one lacks.
    const foreign = pipeline.stages.find((s) => !isStageType(s.type));
    if (foreign) throw new EngineError('bad_request', `stage '${foreign.name}' has a type this Kiln cannot run: '${foreign.type}'`, 'stages');
    const parameters: Record<string, string> = {};
    for (const p of pipeline.parameters) {
      const value = trigger.parameters[p.name] ?? p.default;
      if (value === undefined || (p.required && value === '')) {
        throw new EngineError('bad_request', `parameter '${p.name}' is required`, `parameters.${p.name}`);
      }
      if (p.options && !p.options.includes(value)) {
        throw new EngineError('bad_request', `parameter '${p.name}' must be one of ${p.options.join(', ')}`, `parameters.${p.name}`);
      }
      parameters[p.name] = value;
    }
    const unknown = Object.keys(trigger.parameters).filter((k) => !pipeline.parameters.some((p) => p.name === k));
    if (unknown.length > 0) throw new EngineError('bad_request', `unknown parameter '${unknown[0]}'`, `parameters.${unknown[0]}`);

    const execution = Execution.parse({
      id: id ?? randomUUID(),
      application: pipeline.application,
      pipelineId: pipeline.id,
      pipelineName: pipeline.name,
      pipelineRevision: pipeline.revision,
      status: 'NOT_STARTED',
      trigger: { ...trigger, parameters },
      createdAt: now().toISOString(),
      stages: pipeline.stages.map((s) => ({ ...s, status: 'NOT_STARTED' })),
    });
    await repos.executions.create(execution);
    await events.publish({ type: 'execution.created', application: execution.application, executionId: execution.id, data: { pipelineId: pipeline.id, pipelineName: pipeline.name } });
    kick();
    return execution;
  }

  const operations = createOperations({ repos, events, now, wake: () => kick() });

  return {
    start: (pipeline, trigger) => startExecution(pipeline, trigger),
    ...operations,

    async cancel(executionId, by, reason) {
      const execution = await get(executionId);
      if (['SUCCEEDED', 'TERMINAL', 'CANCELED', 'STOPPED'].includes(execution.status)) {
        throw new EngineError('conflict', `Execution already ended as ${execution.status}.`);
      }
      const at = now().toISOString();
      await repos.executions.updateExecution(executionId, { status: 'CANCELED', endedAt: at, canceledBy: by, cancelReason: reason });
      for (const s of execution.stages.filter((st) => st.status === 'RUNNING' || st.status === 'SUSPENDED')) {
        await repos.executions.updateStage(executionId, s.refId, { status: 'CANCELED', endedAt: at, error: `canceled by ${by}: ${reason}` });
        await events.publish({ type: 'stage.status', application: execution.application, executionId, data: { refId: s.refId, status: 'CANCELED', previous: s.status } });
      }
      await events.publish({ type: 'execution.status', application: execution.application, executionId, data: { status: 'CANCELED', previous: execution.status } });
      return get(executionId);
    },

    async judge(executionId, refId, judgment) {
      const execution = await get(executionId);
      const stage = execution.stages.find((s) => s.refId === refId);
      if (!stage) throw new EngineError('not_found', `Execution has no stage '${refId}'.`, 'refId');
      if (stage.type !== 'manualJudgment') throw new EngineError('bad_request', `Stage '${stage.name}' is not a manual judgment.`, 'refId');
      const recorded = { ...judgment, at: now().toISOString() };
      // Compare-and-set on SUSPENDED: of two judges at once, exactly one wins; the other gets 409.
      const won = await repos.executions.updateStage(executionId, refId, { status: 'RUNNING', context: { ...stage.context, judgment: recorded, wakeAt: undefined } }, { status: 'SUSPENDED' });
      if (!won) {
        const current = (await get(executionId)).stages.find((s) => s.refId === refId)!;
        const prior = Judgment.safeParse(current.context.judgment);
        throw new EngineError(
          'conflict',
          prior.success ? `Already judged: ${prior.data.decision} by ${prior.data.by} at ${prior.data.at}.` : `Stage '${stage.name}' is ${current.status}, not waiting for a judgment.`,
        );
      }
      await events.publish({ type: 'judgment.recorded', application: execution.application, executionId, data: { refId, decision: judgment.decision, by: judgment.by, ...(judgment.comment ? { comment: judgment.comment } : {}), ...(judgment.input ? { input: judgment.input } : {}) } });
      await repos.executions.wake(executionId);
      kick();
      return get(executionId);
    },

    tick,

    run() {
      if (timer) return;
      stopped = false;
      timer = setInterval(kick, options.tickMs ?? 250);
      kick();
    },

    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await ticking;
    },

    killJobs() {
      return jobs.killAll();
    },
  };
}
