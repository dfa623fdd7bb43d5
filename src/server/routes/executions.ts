import type { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import {
  cancelExecution,
  getExecution,
  getExecutionLogs,
  ignoreStageFailure,
  judgeStage,
  listAllExecutions,
  listExecutionNotifications,
  listExecutions,
  pauseExecution,
  restartStage,
  resumeExecution,
  skipStage,
  startExecution,
} from '../../shared/api/executions';
import { NotFoundError } from '../../db/errors';
import type { Engine } from '../../engine/index';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';
import { requireApplication, requireExecution, requirePipeline } from './lookups';
import { canRead } from '../auth/visibility';
import { publicStage } from '../../shared/domain/stage-secrets';
import type { Execution } from '../../shared/domain/execution';

/** Stages carry their config: a webhook stage's credential headers are answered masked, as in the pipeline. */
const publicExecution = (e: Execution): Execution => ({ ...e, stages: e.stages.map(publicStage) });

export function executionRoutes(app: FastifyInstance, { repos }: AppDeps, engine: Engine): void {
  registerEndpoint(app, startExecution, async ({ params, body, actor }) => {
    const pipeline = await requirePipeline(repos, params.pipelineId);
    return publicExecution(await engine.start(pipeline, { type: 'manual', user: actor, parameters: body.parameters }));
  });

  registerEndpoint(app, getExecution, async ({ params }) => publicExecution(await requireExecution(repos, params.executionId)));

  const list = async (application: string | undefined, query: z.output<typeof listAllExecutions.query>) => {
    const page = await repos.executions.list(application, {
      limit: query.limit ?? 25,
      cursor: query.cursor,
      statuses: query.status,
      pipelineId: query.pipeline,
      trigger: query.trigger,
      since: query.since,
      until: query.until,
    });
    if (page.badCursor) throw new HttpError(400, 'bad_request', "query parameter 'cursor': not a cursor this server gave out", 'cursor');
    return { executions: page.executions.map(publicExecution), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  };

  registerEndpoint(app, listExecutions, async ({ params, query }) => {
    await requireApplication(repos, params.application);
    return list(params.application, query);
  });

  registerEndpoint(app, listAllExecutions, async ({ query, request }) => {
    if (query.application) await requireApplication(repos, query.application);
    const page = await list(query.application, query);
    // A page may come back shorter than asked when it holds executions the user may not read.
    return { ...page, executions: page.executions.filter((e) => canRead(request, e.application)) };
  });

  registerEndpoint(app, pauseExecution, async ({ params, body, actor }) => publicExecution(await engine.pause(params.executionId, actor, body.reason)));
  registerEndpoint(app, resumeExecution, async ({ params, actor }) => publicExecution(await engine.resume(params.executionId, actor)));

  registerEndpoint(app, listExecutionNotifications, async ({ params }) => {
    await requireExecution(repos, params.executionId);
    const stored = await repos.notifications.forExecution(params.executionId);
    return { notifications: stored.map(({ payload: _payload, executionId: _e, application: _a, ...delivery }) => delivery) };
  });

  registerEndpoint(app, cancelExecution, async ({ params, body, actor }) => publicExecution(await engine.cancel(params.executionId, actor, body.reason)));

  registerEndpoint(app, judgeStage, async ({ params, body, actor, request }) =>
    publicExecution(
      await engine.judge(params.executionId, params.refId, {
        decision: body.decision,
        by: actor,
        me: request.me,
        ...(body.comment ? { comment: body.comment } : {}),
        ...(body.input ? { input: body.input } : {}),
      }),
    ),
  );

  registerEndpoint(app, getExecutionLogs, async ({ params, query }) => {
    const execution = await requireExecution(repos, params.executionId);
    if (query.stage && !execution.stages.some((s) => s.refId === query.stage)) {
      throw new NotFoundError(`Execution has no stage '${query.stage}'.`, 'stage');
    }
    const limit = query.limit ?? 1000;
    const page = { refId: query.stage, limit };
    const earlier = (first: number | undefined) => (first === undefined || first <= 1 ? 0 : repos.executionLogs.countBefore(params.executionId, query.stage, first));
    if (query.tail || query.before !== undefined) {
      const before = query.before ?? Number.MAX_SAFE_INTEGER;
      const lines = await repos.executionLogs.read(params.executionId, { ...page, before });
      return { lines, nextAfter: lines.at(-1)?.seq ?? 0, earlier: await earlier(lines[0]?.seq ?? before) };
    }
    const after = query.after ?? 0;
    const lines = await repos.executionLogs.read(params.executionId, { ...page, after });
    return { lines, nextAfter: lines.at(-1)?.seq ?? after, earlier: await earlier(lines[0]?.seq ?? after + 1) };
  });

  registerEndpoint(app, restartStage, async ({ params, body, actor, request }) =>
    publicExecution(await engine.restartStage(params.executionId, params.refId, actor, request.me, body.reason)),
  );
  registerEndpoint(app, skipStage, async ({ params, body, actor, request }) =>
    publicExecution(await engine.skipStage(params.executionId, params.refId, actor, body.reason, request.me)),
  );
  registerEndpoint(app, ignoreStageFailure, async ({ params, body, actor, request }) =>
    publicExecution(await engine.ignoreFailure(params.executionId, params.refId, actor, body.reason, request.me)),
  );
}
