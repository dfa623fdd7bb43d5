import type { z } from 'zod';
import { withActor } from '../../db/actor-scope';
import { fieldNameAt, issueSentence } from '../../shared/domain/problem-messages';
import type { Execution, StageExecution } from '../../shared/domain/execution';
import { interpolateDeep } from '../../shared/expression/evaluate';
import { resolveConfig } from '../../shared/stages/config-expressions';
import { isStageType, stageDefinitions } from '../../shared/stages/registry';
import { StandingBy } from '../cloud/stand-by';
import type { StepResult } from '../stages/handler';
import { stageHandlers } from '../stages/registry';
import { usingCloud } from './hand-over';
import type { RunDeps } from './run-execution';
import type { expressionScope } from './scope';
import { errorMessage } from '../../shared/error-message';

/** A stage changed under this advance (see setStage); the advance starts over from the database. */
export class StaleStage extends Error {
  constructor(refId: string) {
    super(`stage ${refId} changed while the engine advanced it`);
  }
}

/** The lease was taken over: this process does nothing more to the execution (its writes would fail anyway). */
export class LeaseLost extends Error {}

/**
 * One step of one stage by its handler, with its expression fields evaluated and checked, acting as
 * the run's person. A failure of the stage's own is its FAILED result; losing the stage or the lease,
 * or a step left to the process holding a provider lease, is thrown for the advance to handle.
 */
export async function step(execution: Execution, stage: StageExecution, scope: ReturnType<typeof expressionScope>, deps: RunDeps): Promise<StepResult> {
  const handler = isStageType(stage.type) ? stageHandlers[stage.type] : undefined;
  if (!handler || !isStageType(stage.type)) return { status: 'FAILED', error: `stage type '${stage.type}' cannot run in this version of Kiln` };
  // Expression fields (a capacity of `${ parameters.count }`) are evaluated here, and the results checked by the field's own schema.
  const describe = (issue: z.core.$ZodIssue) => issueSentence(issue, fieldNameAt(['stages', 0, 'config', ...issue.path], stage.type));
  const config = resolveConfig(stageDefinitions[stage.type].config as z.ZodType, stage.config, scope, describe);
  if (!config.ok) return { status: 'FAILED', error: `config: ${config.error}` };
  try {
    // What the stage changes in the cloud (a group enabled or disabled) is recorded as done by this run.
    const actor = { user: execution.trigger.user, execution: execution.id, application: execution.application };
    return await withActor(actor, () =>
      handler.step({
        execution,
        stage,
        config: config.data as never,
        resolve: (value) => interpolateDeep(value, scope),
        now: deps.now(),
        repos: deps.repos,
        services: {
          jobs: deps.jobs,
          http: deps.http,
          owner: deps.owner,
          startExecution: deps.startExecution,
          ...(deps.cloud ? { cloud: usingCloud(deps.cloud, (lease) => deps.onLease?.set(stage.refId, lease)) } : {}),
          recordLaunch: async (record, replacing) => {
            // Lost: another process launched it or took the lease; this advance starts over from the database.
            if (!(await deps.repos.executions.recordLaunch(deps.lease, stage.refId, stage.attempt, record, replacing))) throw new StaleStage(stage.refId);
            Object.assign(stage.context, record);
          },
          log: async (lines, cursor) => {
            if (lines.length === 0) return;
            // Not fenced by the lease: a container or Kubernetes job's log follower outlives the advance that
            // started it (fencing it refused its lines once the advance released the execution); its cursor
            // (`source_cursor`) is what lets a successor resume without repeating what was stored.
            const { firstSeq } = await deps.repos.executionLogs.append(execution.id, stage.refId, lines, cursor);
            await deps.events.publish({ type: 'log.lines', application: execution.application, executionId: execution.id, data: { refId: stage.refId, firstSeq, lines } });
          },
        },
      }),
    );
  } catch (err) {
    if (err instanceof StaleStage || err instanceof LeaseLost || err instanceof StandingBy) throw err;
    return { status: 'FAILED', error: errorMessage(err) };
  }
}
