import type { FastifyInstance } from 'fastify';
import {
  createPipeline,
  getPipeline,
  listPipelineRevisions,
  listPipelines,
  restorePipelineRevision,
  savePipeline,
  validatePipelineEndpoint,
} from '../../shared/api/pipelines';
import { describeProblems, validatePipeline, type PipelineProblem } from '../../shared/domain/pipeline-validate';
import type { PipelineDraft } from '../../shared/domain/pipeline';
import { NotFoundError } from '../../db/errors';
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
    throw new HttpError(400, 'bad_request', `application '${result.pipeline.application}' does not match '${application}'; pipelines cannot move between applications`, 'application');
  }
  return result.pipeline;
}

export function pipelineRoutes(app: FastifyInstance, { repos }: AppDeps): void {
  registerEndpoint(app, listPipelines, async ({ params }) => {
    await requireApplication(repos, params.application);
    return repos.pipelines.listByApplication(params.application);
  });

  registerEndpoint(app, createPipeline, async ({ params, body, actor }) => {
    await requireApplication(repos, params.application);
    return repos.pipelines.create(draftFor(params.application, body), actor);
  });

  registerEndpoint(app, getPipeline, ({ params }) => requirePipeline(repos, params.pipelineId));

  registerEndpoint(app, savePipeline, async ({ params, body, actor }) => {
    const current = await requirePipeline(repos, params.pipelineId);
    const saved = await repos.pipelines.save(params.pipelineId, body.baseRevision, draftFor(current.application, body.pipeline), actor);
    if (!saved) throw new NotFoundError(`Pipeline '${params.pipelineId}' does not exist.`, 'pipelineId');
    return saved;
  });

  registerEndpoint(app, validatePipelineEndpoint, async ({ body }) => {
    const result = validatePipeline(body);
    return { ok: result.ok, problems: result.problems };
  });

  registerEndpoint(app, listPipelineRevisions, async ({ params }) => {
    await requirePipeline(repos, params.pipelineId);
    return repos.pipelines.revisions(params.pipelineId);
  });

  registerEndpoint(app, restorePipelineRevision, async ({ params, body, actor }) => {
    const current = await requirePipeline(repos, params.pipelineId);
    const old = (await repos.pipelines.revisions(params.pipelineId)).find((r) => r.revision === params.revision);
    if (!old) {
      throw new NotFoundError(`Pipeline '${current.name}' has no revision ${params.revision} (newest is ${current.revision}).`, 'revision');
    }
    const { id: _id, revision: _r, updatedAt: _u, updatedBy: _b, ...draft } = old.pipeline;
    const saved = await repos.pipelines.save(params.pipelineId, body.baseRevision, draftFor(current.application, draft), actor);
    return saved!;
  });
}
