import { COMPLETED, type Execution, type ExecutionStatus, type StageExecution, type TriggerRecord } from '../../shared/domain/execution';
import type { Pipeline } from '../../shared/domain/pipeline';
import { interpolate } from '../../shared/expression/evaluate';
import { isStageType, stageDefinitions } from '../../shared/stages/registry';
import type { ExecutionLease, Repositories } from '../../db/types';
import type { EventBus } from '../events/event-bus';
import type { KilnEvent, NewKilnEvent } from '../../shared/api/events';
import { stageHandlers } from '../stages/registry';
import type { JobRunner } from '../jobs/job-runner';
import type { HttpCaller } from '../jobs/http-caller';
import type { StepResult } from '../stages/handler';
import { failureOutcome } from './dag';
import { createFrontier } from './frontier';
import { expressionScope } from './scope';
import type { CloudProviders } from '../cloud/provider';
import type { Lifecycle } from '../lifecycle';
import { stageDeadline } from './timeouts';
import { closeTasks, nextTasks } from './tasks';
import type { LeaseGuard, Next } from './leased-ticks';
import { StandingBy } from '../cloud/stand-by';
import { handOver } from './hand-over';
import { LeaseLost, StaleStage, step } from './step-stage';
import { errorMessage } from '../../shared/error-message';

export interface RunDeps {
  repos: Repositories;
  events: EventBus;
  now: () => Date;
  jobs: JobRunner;
  http: HttpCaller;
  owner: string;
  startExecution: (pipeline: Pipeline, trigger: TriggerRecord, id: string) => Promise<Execution>;
  cloud?: CloudProviders | undefined;
  lifecycle: Lifecycle;
  /** The claim this advance runs under: every state write is fenced by it. */
  lease: ExecutionLease;
  /** True once the lease could not be renewed (taken over): the advance stops at the next step. */
  leaseLost?: LeaseGuard['leaseLost'];
  /** Renews the lease now; false when it was taken over. Asked when a compare-and-set lost, to tell why. */
  holdsLease?: LeaseGuard['holdsLease'];
  /** Whether this process holds a lease such as the local cloud's now (unset: it holds every one). */
  holds?: ((lease: string) => boolean) | undefined;
  /** Filled by this advance: the provider lease each stage stepped under (refId → lease). */
  onLease?: Map<string, string> | undefined;
}

/** A queued run checks for a free slot this often, in case the run before it ended without promoting it. */
const BUFFERED_RECHECK_MS = 30_000;
const STATUS_RECHECK_MS = 25;

const ACTIVE: ReadonlySet<ExecutionStatus> = new Set(['RUNNING', 'SUSPENDED']);

/**
 * Moves one leased execution as far as it can go now: starts ready stages, steps active ones,
 * applies fail policies, ends the execution when nothing is left. Every change is written before
 * the next is decided, so a process killed at any point leaves a state the next owner resumes.
 * Returns when the engine should look again.
 */
export async function advanceExecution(id: string, runDeps: RunDeps): Promise<Next> {
  const deps: RunDeps = { ...runDeps, onLease: new Map() };
  const { repos, events } = deps;
  const holds = (lease: string) => deps.holds?.(lease) ?? true;
  const setStage = async (e: Execution, s: StageExecution, status: ExecutionStatus, patch: Parameters<Repositories['executions']['updateStage']>[2] = {}) => {
    // Compare-and-set on the status this advance last saw: a person (cancel, judge, skip) or another
    // process may have changed the stage meanwhile, and a stale write must not undo that.
    if (deps.leaseLost?.()) throw new LeaseLost();
    // Fenced too: a process whose lease was taken over writes nothing.
    const previous = s.status;
    const event: NewKilnEvent = {
      type: 'stage.status',
      application: e.application,
      executionId: e.id,
      data: { refId: s.refId, status, previous, ...(patch.error ? { error: patch.error } : {}) },
    };
    let stored: KilnEvent | undefined;
    // The status comes back with the write: on a chain of quick stages, no separate re-read every STATUS_RECHECK_MS.
    const seen = (now: ExecutionStatus) => {
      execution.status = now;
      statusReadAt = performance.now();
    };
    const told = status !== previous ? { event, stored: (written: KilnEvent) => (stored = written), execution: seen } : undefined;
    if (!(await repos.executions.updateStage(e.id, s.refId, { ...patch, status }, { status: s.status, lease: deps.lease }, told))) throw new StaleStage(s.refId);
    // The loaded copy follows every write, so one advance reads the execution once, not once a round.
    Object.assign(s, JSON.parse(JSON.stringify({ ...patch, status })) as Partial<StageExecution>);
    frontier.changed(s);
    if (stored) events.deliver(stored);
  };

  const loaded = await repos.executions.get(id);
  if (!loaded) return 'never';
  const execution: Execution = loaded;
  const frontier = createFrontier(execution.stages);
  let statusReadAt = performance.now();
  const refresh = async () => {
    execution.status = (await repos.executions.status(id)) ?? 'CANCELED';
    statusReadAt = performance.now();
  };
  try {
    return handOver(execution, await rounds(), { ...deps, onLease: deps.onLease!, holds });
  } catch (err) {
    // Look again at once, from what is stored now.
    if (err instanceof StaleStage) return null;
    if (err instanceof LeaseLost) return null;
    // Not a failure: the step is left to the process that holds the provider's lease (the local cloud's,
    // a docker account's), claimed by it next, and by no other until then: no retry loop here.
    // (Stood by although this process holds the lease: it just lost it; looked at again shortly.)
    if (err instanceof StandingBy) return holds(err.lease) ? new Date(deps.now().getTime() + 1000) : { at: null, needs: err.lease };
    throw err;
  }

  async function rounds(): Promise<Date | null | 'never'> {
    for (let round = 0; round < 100_000; round += 1) {
      // Only the status can change under us (a person cancels or pauses); stages change only through
      // the lease holder or through wake(), which makes the execution due again after this advance.
      // Re-reading it every round would cost a round trip per stage on a long chain of quick stages,
      // so it is re-read every STATUS_RECHECK_MS, and at once when a compare-and-set lost.
      if (round > 0 && performance.now() - statusReadAt >= STATUS_RECHECK_MS) await refresh();
      if (COMPLETED.has(execution.status) || execution.status === 'PAUSED') return 'never';
      if (deps.leaseLost?.()) return null;
      const now = deps.now();
      if (execution.status === 'BUFFERED') {
        await deps.lifecycle.ended(execution); // promotes the oldest queued runs if a slot is free
        await refresh();
        if (execution.status === 'BUFFERED') return new Date(now.getTime() + BUFFERED_RECHECK_MS);
        continue;
      }
      if (execution.status === 'NOT_STARTED') {
        // Compare-and-set: a pause or cancel that lands first wins.
        if (!(await repos.executions.updateExecution(id, { status: 'RUNNING', startedAt: now.toISOString() }, { status: ['NOT_STARTED'], lease: deps.lease }))) {
          if (deps.holdsLease && !(await deps.holdsLease())) return null;
          await refresh();
          continue;
        }
        execution.status = 'RUNNING';
        execution.startedAt = now.toISOString();
        await events.publish({ type: 'execution.status', application: execution.application, executionId: id, data: { status: 'RUNNING', previous: 'NOT_STARTED' } });
        await deps.lifecycle.started(execution);
        continue;
      }

      const outcome = frontier.halted() ? 'TERMINAL' : frontier.outcome();
      if (outcome) {
        const ended = { ...execution, status: outcome, endedAt: now.toISOString() };
        // Notifications and downstream triggers first (repeat-safe), so a crash right after cannot lose them.
        await deps.lifecycle.ending(ended);
        if (!(await repos.executions.updateExecution(id, { status: outcome, endedAt: ended.endedAt }, { status: ['RUNNING'], lease: deps.lease }))) {
          if (deps.holdsLease && !(await deps.holdsLease())) return null;
          await refresh();
          continue;
        }
        await events.publish({ type: 'execution.status', application: execution.application, executionId: id, data: { status: outcome, previous: execution.status } });
        await deps.lifecycle.ended(ended);
        return 'never';
      }

      const scope = expressionScope(execution);
      let changed = false;
      let failedToStart = false;
      for (const stage of frontier.ready()) {
        let run = true;
        try {
          run = stage.condition === undefined || Boolean(interpolate(stage.condition, scope));
        } catch (err) {
          await setStage(execution, stage, 'TERMINAL', { endedAt: now.toISOString(), error: `condition: ${errorMessage(err)}` });
          changed = true;
          failedToStart = true;
          continue;
        }
        await setStage(execution, stage, run ? 'RUNNING' : 'SKIPPED', run ? { startedAt: now.toISOString() } : { endedAt: now.toISOString() });
        changed = true;
      }
      // Stages just started are stepped in this same round (a round saved per stage on a chain),
      // unless one failed to start: its fail policy is applied first, at the top of the next round.
      if (failedToStart) continue;

      let wakeAt: Date | 'never' | null = 'never';
      const active = frontier.active();
      const early = await stepJobsSideBySide(execution, active, scope, deps, now);
      for (const stage of active) {
        // Every active stage is stepped whenever the execution is looked at (steps are cheap and
        // re-entrant: a wait compares the clock, a job asks its runner); only a stage waiting on a
        // person, with no deadline, has nothing to check.
        const deadline = stageDeadline(stage);
        const timedOut = deadline !== undefined && now >= deadline;
        if (deadline && !timedOut) wakeAt = earliest(wakeAt, deadline);
        if (!timedOut && stage.status === 'SUSPENDED' && stage.context.wakeAt === undefined) continue;
        // A side effect is never started under a lease known to be lost.
        if (deps.leaseLost?.()) throw new LeaseLost();
        const result: StepResult = timedOut
          ? { status: 'FAILED', error: `timed out: the stage ran longer than its ${stage.timeoutSec} s limit` }
          : (early.get(stage.refId) ?? (await step(execution, stage, scope, deps)));
        if (timedOut) deps.jobs.stop(execution.id, stage.refId, `the stage timed out after ${stage.timeoutSec} s`);
        const context = { ...stage.context, ...result.context, wakeAt: 'wakeAt' in result && result.wakeAt ? result.wakeAt.toISOString() : undefined };
        const tasks = (status: ExecutionStatus) => nextTasks(stage.tasks, taskName(stage, context), status, now.toISOString());
        if (result.status === 'RUNNING' && stage.status === 'RUNNING' && unchanged(stage, result.context, taskName(stage, context))) {
          // Still waiting with nothing new to store (a job still running): no write. A wake per job
          // exit rewrote all 20 rows of a 20-job stage, 400 writes where 20 do.
          wakeAt = earliest(wakeAt, result.wakeAt);
        } else if (result.status === 'RUNNING' || result.status === 'SUSPENDED') {
          const nowWaitsOnPerson = result.status === 'SUSPENDED' && stage.status !== 'SUSPENDED' && stage.type === 'manualJudgment';
          await setStage(execution, stage, result.status, { context, tasks: tasks(result.status) });
          if (nowWaitsOnPerson) await deps.lifecycle.judgmentNeeded(execution, stage);
          if (result.wakeAt) wakeAt = earliest(wakeAt, result.wakeAt);
          if (result.status !== stage.status) changed = true;
        } else if (result.status === 'SUCCEEDED') {
          await setStage(execution, stage, 'SUCCEEDED', { context, outputs: result.outputs ?? {}, endedAt: now.toISOString(), tasks: tasks('SUCCEEDED') });
          changed = true;
        } else {
          const { stageStatus, haltExecution } = failureOutcome(stage.failPolicy);
          await setStage(execution, stage, stageStatus, { context, error: result.error, endedAt: now.toISOString(), tasks: tasks(stageStatus) });
          if (haltExecution) {
            for (const other of execution.stages.filter((s) => s.refId !== stage.refId && ACTIVE.has(s.status))) {
              await setStage(execution, other, 'CANCELED', {
                endedAt: now.toISOString(),
                error: `canceled: stage '${stage.name}' failed and halts the pipeline`,
                tasks: closeTasks(other.tasks, 'CANCELED', now.toISOString()),
              });
              deps.jobs.stop(execution.id, other.refId, `stage '${stage.name}' failed and halts the pipeline`);
            }
            changed = true;
            break; // the other stages of this round are canceled now; stepping their stale copies would revive them
          }
          changed = true;
        }
      }
      if (!changed) return wakeAt;
    }
    return null;
  }
}

/**
 * Steps a round's job stages at once: each launch waits on the database and on a sandbox start, and
 * 20 parallel jobs launched one after another started the last one about a second after the first.
 * Other stage types keep stepping one by one, in order (a deploy's side effect must not start once a
 * stage before it halted the pipeline); a job launched beside a halting stage is stopped with it.
 */
async function stepJobsSideBySide(execution: Execution, active: StageExecution[], scope: ReturnType<typeof expressionScope>, deps: RunDeps, now: Date) {
  const jobs = active.filter((s) => s.type === 'runJob' && !(stageDeadline(s) && now >= stageDeadline(s)!));
  const results = new Map<string, StepResult>();
  if (jobs.length < 2) return results;
  if (deps.leaseLost?.()) throw new LeaseLost();
  const settled = await Promise.allSettled(jobs.map((s) => step(execution, s, scope, deps)));
  const rejected = settled.find((r) => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  settled.forEach((r, i) => r.status === 'fulfilled' && results.set(jobs[i]!.refId, r.value));
  return results;
}

/** The step changes nothing stored: its context keys hold the same values and the task is the same (a RUNNING stage's wakeAt is not read back). */
function unchanged(stage: StageExecution, patch: Record<string, unknown> | undefined, task: string): boolean {
  const same = Object.entries(patch ?? {}).every(([k, v]) => JSON.stringify(stage.context[k]) === JSON.stringify(v));
  return same && stage.tasks.at(-1)?.name === task && !stage.tasks.at(-1)?.endedAt;
}

function taskName(stage: StageExecution, context: Record<string, unknown>): string {
  if (!isStageType(stage.type)) return stage.type;
  return stageHandlers[stage.type].taskName?.(context) ?? stageDefinitions[stage.type].label;
}

function earliest(a: Date | 'never' | null, b: Date): Date {
  return a === 'never' || a === null || b < a ? b : a;
}
