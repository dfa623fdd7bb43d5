import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createPipeline, getPipeline, listPipelineRevisions, listPipelines, restorePipelineRevision, savePipeline, validatePipelineEndpoint } from '../../shared/api/pipelines';
import { describeProblems, validatePipeline, type PipelineProblem } from '../../shared/domain/pipeline-validate';
import type { Pipeline, PipelineDraft } from '../../shared/domain/pipeline';
import { mergeNotifications, mergeTriggers, publicPipeline } from '../../shared/domain/pipeline-secrets';
import { guardRunContent } from '../../shared/domain/pipeline-run-guard';
import { mergeStageSecrets } from '../../shared/domain/stage-secrets';
import { resolveWatched, watchedApplications } from '../../shared/domain/pipeline-watch';
import { can } from '../../shared/domain/user';
import { NotFoundError, RevisionConflictError } from '../../db/errors';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';
import { requireApplication, requirePipeline } from './lookups';

function invalid(problems: PipelineProblem[]): HttpError {
  return new HttpError(400, 'bad_request', describeProblems(problems), problems[0]?.path, { problems });
}

/** Validates a body as a pipeline of `application`; every problem goes back at once. */
function draftFor(application: string, body: unknown): PipelineDraft {
  const raw = body !== null && typeof body === 'object' ? { ...body, application: (body as { application?: unknown }).application ?? application } : body;
  const result = validatePipeline(raw);
  if (!result.ok) throw invalid(result.problems);
  if (result.pipeline.application !== application) {
    throw new HttpError(
      400,
      'bad_request',
      `application '${result.pipeline.application}' does not match '${application}'; pipelines cannot move between applications`,
      'application',
    );
  }
  return result.pipeline;
}

/** A 409 carries the stored pipeline so the editor can compare: masked like every other answer. */
async function masked409(save: Promise<Pipeline | undefined>): Promise<Pipeline | undefined> {
  try {
    return await save;
  } catch (err) {
    if (err instanceof RevisionConflictError) throw new RevisionConflictError(err.message, publicPipeline(err.current as Pipeline));
    throw err;
  }
}

/**
 * What to store when `request`'s user saves `draft` over `stored`: write-only secrets sent back
 * masked keep their stored values, and a trigger that is added, changed or removed is a way to
 * start runs, so it needs EXECUTE and makes the saver the person its runs act as; so does
 * changing what an automatically started pipeline runs (pipeline-run-guard.ts).
 */
function withSecrets(draft: PipelineDraft, stored: Pipeline | undefined, request: FastifyRequest, now: () => Date): PipelineDraft {
  const me = request.me!;
  const stamp = { by: me.user.name, at: now().toISOString(), newId: randomUUID };
  const triggers = mergeTriggers(draft.triggers, stored?.triggers ?? [], stamp);
  const notifications = mergeNotifications(draft.notifications, stored?.notifications ?? [], stamp);
  const stages = mergeStageSecrets(draft.stages, stored?.stages ?? []);
  const problems = [...(triggers.ok ? [] : triggers.problems), ...(notifications.ok ? [] : notifications.problems), ...stages.problems];
  if (problems.length > 0 || !triggers.ok || !notifications.ok) throw invalid(problems);
  if (triggers.changed && !can(me, 'EXECUTE', { application: draft.application })) {
    throw new HttpError(
      403,
      'forbidden',
      `${me.user.name} lacks EXECUTE permission on application '${draft.application}': adding, changing or removing a webhook, cron or pipeline trigger starts runs, so it needs EXECUTE (WRITE is enough for everything else).`,
      'triggers',
    );
  }
  const merged = { ...draft, stages: stages.stages, triggers: triggers.triggers, notifications: notifications.notifications };
  const guard = guardRunContent(merged, stored, { by: me.user.name, at: stamp.at, mayExecute: can(me, 'EXECUTE', { application: draft.application }) });
  if (!guard.ok) throw new HttpError(403, 'forbidden', guard.message, guard.field);
  return { ...merged, triggers: guard.triggers };
}

export function pipelineRoutes(app: FastifyInstance, { repos, now: clock }: AppDeps): void {
  const now = clock ?? (() => new Date());
  /** Pipeline triggers on both sides watch ids, so a stored one by name read as its id is no trigger change. */
  async function byId(draft: PipelineDraft, stored: Pipeline | undefined): Promise<[PipelineDraft, Pipeline | undefined]> {
    const ids = new Map<string, string>();
    for (const application of watchedApplications([...draft.triggers, ...(stored?.triggers ?? [])])) {
      for (const p of await repos.pipelines.listByApplication(application)) ids.set(`${application}/${p.name}`, p.id);
    }
    const idOf = (application: string, name: string) => ids.get(`${application}/${name}`);
    const mine = resolveWatched(draft.triggers, idOf, stored?.triggers);
    if (mine.problems.length > 0) throw invalid(mine.problems);
    return [{ ...draft, triggers: mine.triggers }, stored && { ...stored, triggers: resolveWatched(stored.triggers, idOf, stored.triggers).triggers }];
  }

  registerEndpoint(app, listPipelines, async ({ params }) => {
    await requireApplication(repos, params.application);
    return (await repos.pipelines.listByApplication(params.application)).map(publicPipeline);
  });

  registerEndpoint(app, createPipeline, async ({ params, body, actor, request }) => {
    await requireApplication(repos, params.application);
    const draft = withSecrets(...(await byId(draftFor(params.application, body), undefined)), request, now);
    return publicPipeline(await repos.pipelines.create(draft, actor));
  });

  registerEndpoint(app, getPipeline, async ({ params }) => publicPipeline(await requirePipeline(repos, params.pipelineId)));

  registerEndpoint(app, savePipeline, async ({ params, body, actor, request }) => {
    const current = await requirePipeline(repos, params.pipelineId);
    const draft = withSecrets(...(await byId(draftFor(current.application, body.pipeline), current)), request, now);
    const saved = await masked409(repos.pipelines.save(params.pipelineId, body.baseRevision, draft, actor));
    if (!saved) throw new NotFoundError(`Pipeline '${params.pipelineId}' does not exist.`, 'pipelineId');
    return publicPipeline(saved);
  });

  registerEndpoint(app, validatePipelineEndpoint, async ({ body }) => {
    const result = validatePipeline(body);
    return { ok: result.ok, problems: result.problems };
  });

  registerEndpoint(app, listPipelineRevisions, async ({ params }) => {
    await requirePipeline(repos, params.pipelineId);
    return (await repos.pipelines.revisions(params.pipelineId)).map((r) => ({ ...r, pipeline: publicPipeline(r.pipeline) }));
  });

  // The old revision's triggers are compared with today's: one it brings back is a change by the restorer, never its old owner's.
  registerEndpoint(app, restorePipelineRevision, async ({ params, body, actor, request }) => {
    const current = await requirePipeline(repos, params.pipelineId);
    const old = (await repos.pipelines.revisions(params.pipelineId)).find((r) => r.revision === params.revision);
    if (!old) {
      throw new NotFoundError(`Pipeline '${current.name}' has no revision ${params.revision} (newest is ${current.revision}).`, 'revision');
    }
    const { id: _id, revision: _r, updatedAt: _u, updatedBy: _b, ...draft } = old.pipeline;
    const merged = withSecrets(...(await byId(draftFor(current.application, draft), current)), request, now);
    return publicPipeline((await masked409(repos.pipelines.save(params.pipelineId, body.baseRevision, merged, actor)))!);
  });
}
