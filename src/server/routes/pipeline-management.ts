import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { deletePipeline, duplicatePipeline, renamePipeline } from '../../shared/api/pipelines';
import { copyName, duplicatePipeline as copyOf } from '../../shared/domain/pipeline-duplicate';
import { publicPipeline } from '../../shared/domain/pipeline-secrets';
import { validatePipeline, describeProblems } from '../../shared/domain/pipeline-validate';
import { can } from '../../shared/domain/user';
import { ConflictError, NotFoundError } from '../../db/errors';
import type { AppDeps } from '../deps';
import { canRead } from '../auth/visibility';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';
import { requireApplication, requirePipeline } from './lookups';

const list = (names: readonly string[]) => (names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`);

/** Delete, rename and duplicate: managing pipelines as things, beside editing what they run (pipelines.ts). */
export function pipelineManagementRoutes(app: FastifyInstance, { repos, now: clock }: AppDeps): void {
  const now = clock ?? (() => new Date());

  registerEndpoint(app, deletePipeline, async ({ params, request }) => {
    const pipeline = await requirePipeline(repos, params.pipelineId);
    const outcome = await repos.pipelines.delete(pipeline);
    if (!outcome) throw new NotFoundError(`Pipeline '${params.pipelineId}' does not exist.`, 'pipelineId');
    if (!outcome.deleted) {
      // Pipelines the caller may not read are counted, never named.
      const readable = outcome.pointedAtBy.filter((p) => canRead(request, p.application)).map((p) => `'${p.application}/${p.name}'`);
      const hidden = outcome.pointedAtBy.length - readable.length;
      const reasons = [
        ...(outcome.running.length
          ? [
              `${outcome.running.length === 1 ? 'execution' : 'executions'} ${list(outcome.running)} ${outcome.running.length === 1 ? 'is' : 'are'} still running (cancel or let them finish)`,
            ]
          : []),
        ...(readable.length
          ? [
              `${list(readable)} ${readable.length === 1 ? 'runs or watches' : 'run or watch'} it (change ${readable.length === 1 ? 'that stage or trigger' : 'those stages or triggers'} first)`,
            ]
          : []),
        ...(hidden ? [`${hidden} pipeline${hidden === 1 ? '' : 's'} of applications you cannot read ${hidden === 1 ? 'runs or watches' : 'run or watch'} it`] : []),
      ];
      throw new HttpError(409, 'conflict', `Pipeline '${pipeline.name}' cannot be deleted: ${reasons.join('; ')}.`, 'pipelineId', {
        running: outcome.running,
        pointedAtBy: outcome.pointedAtBy.filter((p) => canRead(request, p.application)),
      });
    }
    return { pipelineId: pipeline.id, name: pipeline.name, deleted: true as const };
  });

  registerEndpoint(app, renamePipeline, async ({ params, body, actor, request }) => {
    const pipeline = await requirePipeline(repos, params.pipelineId);
    if (body.name === pipeline.name) return { pipeline: publicPipeline(pipeline), updatedReferences: [] };
    const updated = await repos.pipelines.rename(pipeline, body.name, actor);
    const renamed = await requirePipeline(repos, pipeline.id);
    return { pipeline: publicPipeline(renamed), updatedReferences: updated.filter((p) => canRead(request, p.application)) as never };
  });

  registerEndpoint(app, duplicatePipeline, async ({ params, body, actor, request }) => {
    const source = await requirePipeline(repos, params.pipelineId);
    const application = body.application ?? source.application;
    await requireApplication(repos, application);
    const me = request.me!;
    // READ on the source let the caller in (access-rules.ts); the copy is a new pipeline of the target.
    if (!can(me, 'WRITE', { application })) {
      throw new HttpError(403, 'forbidden', `${me.user.name} lacks WRITE permission on application '${application}', which copying a pipeline into it needs.`, 'application');
    }
    const taken = new Set((await repos.pipelines.listByApplication(application)).map((p) => p.name));
    const name = body.name ?? copyName(source.name, taken);
    if (taken.has(name)) throw new ConflictError(`application '${application}' already has a pipeline named '${name}'`, 'name');
    const copy = copyOf(source, { application, name, by: actor, at: now().toISOString(), newId: randomUUID, newSecret: () => randomBytes(24).toString('base64url') });
    const valid = validatePipeline(copy.draft);
    if (!valid.ok) throw new HttpError(400, 'bad_request', describeProblems(valid.problems), valid.problems[0]?.path, { problems: valid.problems });
    const created = await repos.pipelines.create(valid.pipeline, actor);
    return { pipeline: publicPipeline(created), webhookSecrets: copy.webhookSecrets, notCopied: copy.notCopied };
  });
}
