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
} from '../../src/shared/api/executions';
import { Execution } from '../../src/shared/domain/execution';
import { judgeVerdict, judgmentInputProblem, rejectedJudgmentGating, stageActionWithReason, type StageAction, type Verdict } from '../../src/shared/domain/stage-rules';
import { db } from '../db';
import { mockBakeLines } from './bakes';
import { conflict, handleEndpoint, MockApiError, notFound } from '../handle-endpoint';
import { publicStage } from '../../src/shared/domain/stage-secrets';

// Like the BFF: a webhook stage's credential headers are answered masked.
const publicExecution = (e: Execution): Execution => ({ ...e, stages: e.stages.map(publicStage) });

// Mock mode has no engine: executions here do not progress on their own; only people's actions
// (start, cancel, judge) change them, with the BFF's answers and status codes, recorded under the
// signed-in person's name as the server records them.
const find = (id: string) => {
  const execution = db.executions.find((e) => e.id === id);
  if (!execution) throw notFound(`Execution '${id}' does not exist.`, 'executionId');
  return execution;
};
const stageOf = (executionId: string, refId: string) => {
  const execution = find(executionId);
  const stage = execution.stages.find((s) => s.refId === refId);
  if (!stage) throw notFound(`Execution has no stage '${refId}'.`, 'refId');
  return { execution, stage };
};
// The server's rules, asked the same way: mock mode refuses exactly what Kiln refuses.
const KIND = { 400: 'bad_request', 403: 'forbidden', 409: 'conflict' } as const;
const refused = (v: Extract<Verdict, { allowed: false }>) => new MockApiError(v.status, { error: KIND[v.status], message: v.reason, ...(v.field ? { field: v.field } : {}) });
const asking = () => {
  if (!db.auth.me) throw new MockApiError(401, { error: 'unauthorized', message: 'Sign in first, or send an API token (Authorization: Bearer …).' });
  return db.auth.me;
};
const allowedTo = (executionId: string, refId: string, action: StageAction, reason: string | undefined) => {
  const { execution, stage } = stageOf(executionId, refId);
  const me = asking();
  const verdict = stageActionWithReason(me, execution, stage, action, reason);
  if (!verdict.allowed) throw refused(verdict);
  const record = {
    by: me.user.name,
    at: new Date().toISOString(),
    ...(reason ? { reason } : {}),
    ...(rejectedJudgmentGating(execution, stage) ? { overrodeRejection: true } : {}),
  };
  return { execution, stage, record };
};
const replace = (next: Execution) => {
  db.executions = db.executions.map((e) => (e.id === next.id ? next : e));
  return next;
};

export const executionHandlers = {
  startExecution: handleEndpoint(startExecution, ({ params, body }) => {
    const pipeline = [...db.pipelineRevisions].reverse().find((r) => r.pipeline.id === params.pipelineId)?.pipeline;
    if (!pipeline) throw notFound(`Pipeline '${params.pipelineId}' does not exist.`, 'pipelineId');
    const execution = Execution.parse({
      id: crypto.randomUUID(),
      application: pipeline.application,
      pipelineId: pipeline.id,
      pipelineName: pipeline.name,
      pipelineRevision: pipeline.revision,
      status: 'NOT_STARTED',
      trigger: { type: 'manual', user: asking().user.name, parameters: body.parameters },
      createdAt: new Date().toISOString(),
      stages: pipeline.stages.map((s) => ({ ...s, status: 'NOT_STARTED' })),
    });
    db.executions.unshift(execution);
    return execution;
  }),
  getExecution: handleEndpoint(getExecution, ({ params }) => publicExecution(find(params.executionId))),
  listExecutions: handleEndpoint(listExecutions, ({ params, query }) => {
    if (!db.applications.some((a) => a.name === params.application)) throw notFound(`Application '${params.application}' does not exist.`, 'application');
    const all = db.executions.filter((e) => e.application === params.application && (!query.status || query.status.includes(e.status)));
    return { executions: all.slice(0, query.limit ?? 25).map(publicExecution) };
  }),
  listAllExecutions: handleEndpoint(listAllExecutions, ({ query }) => {
    const all = db.executions.filter((e) => (!query.application || e.application === query.application) && (!query.status || query.status.includes(e.status)));
    return { executions: all.slice(0, query.limit ?? 25).map(publicExecution) };
  }),
  pauseExecution: handleEndpoint(pauseExecution, ({ params, body }) => {
    const execution = find(params.executionId);
    if (!['NOT_STARTED', 'RUNNING'].includes(execution.status)) throw conflict(`Execution is ${execution.status}; only a running execution can be paused.`, 'executionId');
    const paused = { by: asking().user.name, at: new Date().toISOString(), ...(body.reason ? { reason: body.reason } : {}), totalMs: execution.paused?.totalMs ?? 0 };
    return replace({ ...execution, status: 'PAUSED', paused });
  }),
  resumeExecution: handleEndpoint(resumeExecution, ({ params }) => {
    const execution = find(params.executionId);
    if (execution.status !== 'PAUSED' || !execution.paused) throw conflict(`Execution is ${execution.status}, not paused.`, 'executionId');
    const at = new Date();
    const totalMs = execution.paused.totalMs + (at.getTime() - Date.parse(execution.paused.at));
    return replace({ ...execution, status: 'RUNNING', paused: { ...execution.paused, resumedBy: asking().user.name, resumedAt: at.toISOString(), totalMs } });
  }),
  // Mock mode sends nothing, so there is nothing delivered to show.
  listExecutionNotifications: handleEndpoint(listExecutionNotifications, ({ params }) => (find(params.executionId), { notifications: [] })),
  cancelExecution: handleEndpoint(cancelExecution, ({ params, body }) => {
    const execution = find(params.executionId);
    if (!['NOT_STARTED', 'BUFFERED', 'RUNNING', 'PAUSED'].includes(execution.status)) throw conflict(`Execution already ended as ${execution.status}.`, 'executionId');
    return replace({ ...execution, status: 'CANCELED', canceledBy: asking().user.name, cancelReason: body.reason, endedAt: new Date().toISOString() });
  }),
  judgeStage: handleEndpoint(judgeStage, ({ params, body }) => {
    const { execution, stage } = stageOf(params.executionId, params.refId);
    const me = asking();
    const verdict = judgeVerdict(me, execution, stage);
    if (!verdict.allowed) throw refused(verdict);
    const problem = judgmentInputProblem(stage, body);
    if (problem) throw new MockApiError(400, { error: 'bad_request', message: problem, field: 'input' });
    const judged = {
      ...stage,
      status: body.decision === 'approve' ? 'SUCCEEDED' : 'TERMINAL',
      context: { judgment: { ...body, by: me.user.name, at: new Date().toISOString() } },
    } as const;
    return replace({ ...execution, stages: execution.stages.map((s) => (s.refId === stage.refId ? judged : s)) });
  }),
  getExecutionLogs: handleEndpoint(getExecutionLogs, ({ params, query }) => {
    const execution = find(params.executionId);
    const lines = execution.stages
      .filter((s) => (s.type === 'runJob' || s.type === 'bake') && s.status !== 'NOT_STARTED' && (!query.stage || s.refId === query.stage))
      .flatMap((s) =>
        (s.type === 'bake' ? mockBakeLines(s) : [`$ ${String(s.config.command ?? '')}`, 'mock mode: no job ran; this is sample output']).map((line) => ({ refId: s.refId, line })),
      )
      .map((l, i) => ({ ...l, seq: i + 1, at: execution.startedAt ?? execution.createdAt }));
    const limit = query.limit ?? 1000;
    // Same paging as the BFF: forwards after `after`, or the last `limit` lines (tail) / those before `before`.
    const backwards = query.tail || query.before !== undefined;
    const page = backwards ? lines.filter((l) => l.seq < (query.before ?? Infinity)).slice(-limit) : lines.filter((l) => l.seq > (query.after ?? 0)).slice(0, limit);
    const earlier = page[0] ? lines.filter((l) => l.seq < page[0]!.seq).length : backwards ? 0 : Math.min(query.after ?? 0, lines.length);
    return { lines: page, nextAfter: page.at(-1)?.seq ?? (backwards ? 0 : (query.after ?? 0)), earlier };
  }),
  restartStage: handleEndpoint(restartStage, ({ params, body }) => {
    const { execution, stage, record } = allowedTo(params.executionId, params.refId, 'restart', body.reason);
    return replace({
      ...execution,
      status: 'RUNNING',
      stages: execution.stages.map((s) => (s.refId === stage.refId ? { ...s, status: 'NOT_STARTED', outputs: {}, context: { restarted: record } } : s)),
    });
  }),
  skipStage: handleEndpoint(skipStage, ({ params, body }) => {
    const { execution, stage, record } = allowedTo(params.executionId, params.refId, 'skip', body.reason);
    return replace({ ...execution, stages: execution.stages.map((s) => (s.refId === stage.refId ? { ...s, status: 'SKIPPED', context: { ...s.context, skipped: record } } : s)) });
  }),
  ignoreStageFailure: handleEndpoint(ignoreStageFailure, ({ params, body }) => {
    const { execution, stage, record } = allowedTo(params.executionId, params.refId, 'ignoreFailure', body.reason);
    return replace({
      ...execution,
      stages: execution.stages.map((s) => (s.refId === stage.refId ? { ...s, status: 'FAILED_CONTINUE', context: { ...s.context, failureIgnored: record } } : s)),
    });
  }),
};
