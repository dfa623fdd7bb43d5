import { createPipeline, getPipeline, listPipelineRevisions, listPipelines, restorePipelineRevision, savePipeline, validatePipelineEndpoint } from '../../src/shared/api/pipelines';
import { Pipeline, type PipelineDraft } from '../../src/shared/domain/pipeline';
import { describeProblems, validatePipeline, type PipelineProblem } from '../../src/shared/domain/pipeline-validate';
import { mergeNotifications, mergeTriggers, publicPipeline } from '../../src/shared/domain/pipeline-secrets';
import { guardRunContent } from '../../src/shared/domain/pipeline-run-guard';
import { mergeStageSecrets } from '../../src/shared/domain/stage-secrets';
import { resolveWatched } from '../../src/shared/domain/pipeline-watch';
import { can } from '../../src/shared/domain/user';
import { db } from '../db';
import { findPipeline, latestPipelines } from './pipeline-store';
import type { ApplicationName } from '../../src/shared/domain/names';
import { describeImport, importSpinnakerPipelines } from '../../src/shared/spinnaker/import';
import { convertSpinnakerPipeline } from '../../src/shared/api/spinnaker';
import { conflict, handleEndpoint, MockApiError, notFound } from '../handle-endpoint';

// Same rules and wording as the BFF: every problem in details, the first in the message.
function draftFor(application: string, body: unknown): PipelineDraft {
  const raw = body !== null && typeof body === 'object' ? { application, ...body } : body;
  const result = validatePipeline(raw);
  if (!result.ok) {
    const { problems } = result;
    throw new MockApiError(400, { error: 'bad_request', message: describeProblems(problems), field: problems[0]!.path, details: { problems } });
  }
  if (result.pipeline.application !== application) {
    const message = `application '${result.pipeline.application}' does not match '${application}'; pipelines cannot move between applications`;
    throw new MockApiError(400, { error: 'bad_request', message, field: 'application' });
  }
  return result.pipeline;
}

const invalid = (problems: PipelineProblem[]) =>
  new MockApiError(400, { error: 'bad_request', message: describeProblems(problems), field: problems[0]!.path, details: { problems } });

// Same write-only secrets and trigger rule as the BFF (one module decides both).
function withSecrets(named: PipelineDraft, storedNamed: Pipeline | undefined): PipelineDraft {
  // Pipeline triggers watch ids, as in the BFF: a typed name becomes the watched pipeline's id.
  const idOf = (application: string, name: string) => latestPipelines().find((p) => p.application === application && p.name === name)?.id;
  const watched = resolveWatched(named.triggers, idOf, storedNamed?.triggers);
  if (watched.problems.length > 0) throw invalid(watched.problems);
  const draft = { ...named, triggers: watched.triggers };
  const stored = storedNamed && { ...storedNamed, triggers: resolveWatched(storedNamed.triggers, idOf, storedNamed.triggers).triggers };
  const me = db.auth.me;
  const stamp = { by: me?.user.name ?? 'anonymous', at: new Date().toISOString(), newId: () => crypto.randomUUID() };
  const triggers = mergeTriggers(draft.triggers, stored?.triggers ?? [], stamp);
  const notifications = mergeNotifications(draft.notifications, stored?.notifications ?? [], stamp);
  const stages = mergeStageSecrets(draft.stages, stored?.stages ?? []);
  if (!triggers.ok || !notifications.ok || stages.problems.length > 0) {
    throw invalid([...(triggers.ok ? [] : triggers.problems), ...(notifications.ok ? [] : notifications.problems), ...stages.problems]);
  }
  if (triggers.changed && !can(me ?? undefined, 'EXECUTE', { application: draft.application })) {
    const message = `${stamp.by} lacks EXECUTE permission on application '${draft.application}': adding, changing or removing a webhook, cron or pipeline trigger starts runs, so it needs EXECUTE (WRITE is enough for everything else).`;
    throw new MockApiError(403, { error: 'forbidden', message, field: 'triggers' });
  }
  const merged = { ...draft, stages: stages.stages, triggers: triggers.triggers, notifications: notifications.notifications };
  const guard = guardRunContent(merged, stored, { by: stamp.by, at: stamp.at, mayExecute: can(me ?? undefined, 'EXECUTE', { application: draft.application }) });
  if (!guard.ok) throw new MockApiError(403, { error: 'forbidden', message: guard.message, field: guard.field });
  return { ...merged, triggers: guard.triggers };
}

function store(draft: PipelineDraft, id: string, revision: number): Pipeline {
  if (latestPipelines().some((p) => p.application === draft.application && p.name === draft.name && p.id !== id)) {
    throw conflict(`application '${draft.application}' already has a pipeline named '${draft.name}'`, 'name');
  }
  const updatedAt = new Date().toISOString();
  const updatedBy = db.auth.me?.user.name ?? 'anonymous';
  const pipeline = Pipeline.parse({
    ...withSecrets(
      draft,
      latestPipelines().find((p) => p.id === id),
    ),
    id,
    revision,
    updatedAt,
    updatedBy,
  });
  db.pipelineRevisions.push({ revision, updatedAt, updatedBy, pipeline });
  return pipeline;
}

function saveOver(id: string, baseRevision: number, draft: PipelineDraft): Pipeline {
  const current = findPipeline(id);
  if (current.revision !== baseRevision) {
    throw new MockApiError(409, {
      error: 'conflict',
      message: `pipeline '${current.name}' was saved as revision ${current.revision}`,
      field: 'baseRevision',
      details: { current: publicPipeline(current) },
    });
  }
  return store(draft, id, current.revision + 1);
}

export const pipelineHandlers = {
  listPipelines: handleEndpoint(listPipelines, ({ params }) => {
    if (!db.applications.some((a) => a.name === params.application)) throw notFound(`Application '${params.application}' does not exist.`, 'application');
    return latestPipelines()
      .filter((p) => p.application === params.application)
      .map(publicPipeline);
  }),
  createPipeline: handleEndpoint(createPipeline, ({ params, body }) => publicPipeline(store(draftFor(params.application, body), crypto.randomUUID(), 1))),
  getPipeline: handleEndpoint(getPipeline, ({ params }) => publicPipeline(findPipeline(params.pipelineId))),
  savePipeline: handleEndpoint(savePipeline, ({ params, body }) =>
    publicPipeline(saveOver(params.pipelineId, body.baseRevision, draftFor(findPipeline(params.pipelineId).application, body.pipeline))),
  ),
  convertSpinnakerPipeline: handleEndpoint(convertSpinnakerPipeline, ({ params, body }) => {
    // The mocks' recipes live in their own handler; every bake gets a recipe draft here.
    const results = importSpinnakerPipelines(body.pipeline, params.application as ApplicationName, { accounts: body.accounts, regions: body.regions });
    return { results: results.map((r) => (r.ok ? { ...r, description: describeImport(r) } : r)) };
  }),
  validatePipelineEndpoint: handleEndpoint(validatePipelineEndpoint, ({ body }) => {
    const { ok, problems } = validatePipeline(body);
    return { ok, problems };
  }),
  listPipelineRevisions: handleEndpoint(listPipelineRevisions, ({ params }) => {
    findPipeline(params.pipelineId);
    return db.pipelineRevisions
      .filter((r) => r.pipeline.id === params.pipelineId)
      .reverse()
      .map((r) => ({ ...r, pipeline: publicPipeline(r.pipeline) }));
  }),
  restorePipelineRevision: handleEndpoint(restorePipelineRevision, ({ params, body }) => {
    const old = db.pipelineRevisions.find((r) => r.pipeline.id === params.pipelineId && r.revision === params.revision);
    if (!old) throw notFound(`Pipeline has no revision ${params.revision}.`, 'revision');
    const { id: _i, revision: _r, updatedAt: _u, updatedBy: _b, ...draft } = old.pipeline;
    return publicPipeline(saveOver(params.pipelineId, body.baseRevision, draft));
  }),
};
