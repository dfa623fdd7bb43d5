import type { Execution, StageExecution } from '../../shared/domain/execution';
import type { Repositories } from '../../db/types';
import type { EventBus } from '../events/event-bus';
import type { OutboundPolicy } from '../net/outbound-policy';
import { stopJenkins } from './jenkins-api';

/**
 * A canceled execution's Jenkins build is stopped too (or its queue item removed): otherwise it
 * would go on building, and perhaps deploying, for a run nobody wants any more. What Jenkins
 * answered goes into the stage's log.
 */
export async function stopCanceledJenkinsStage(
  deps: { repos: Repositories; events: EventBus; outbound: OutboundPolicy },
  execution: Execution,
  stage: StageExecution,
): Promise<void> {
  if (stage.type !== 'jenkins') return;
  const ctx = stage.context;
  const buildNumber = typeof ctx.buildNumber === 'number' ? ctx.buildNumber : undefined;
  const queueId = typeof ctx.queueId === 'number' ? ctx.queueId : undefined;
  if (typeof ctx.server !== 'string' || typeof ctx.job !== 'string' || (buildNumber === undefined && queueId === undefined)) return;
  const server = await deps.repos.ciServers.get(ctx.server);
  const token = await deps.repos.ciServers.token(ctx.server);
  if (!server || !token) return;
  const line = await stopJenkins(deps.outbound, { server, token }, ctx.job, {
    ...(buildNumber !== undefined ? { buildNumber } : {}),
    ...(queueId !== undefined ? { queueId } : {}),
  });
  const { firstSeq } = await deps.repos.executionLogs.append(execution.id, stage.refId, [line]);
  await deps.events.publish({ type: 'log.lines', application: execution.application, executionId: execution.id, data: { refId: stage.refId, firstSeq, lines: [line] } });
}
