import { deletePipeline, duplicatePipeline, renamePipeline } from '../../src/shared/api/pipelines';
import { Pipeline } from '../../src/shared/domain/pipeline';
import { COMPLETED } from '../../src/shared/domain/execution';
import { copyName, duplicatePipeline as copyOf } from '../../src/shared/domain/pipeline-duplicate';
import { publicPipeline } from '../../src/shared/domain/pipeline-secrets';
import { can } from '../../src/shared/domain/user';
import { db } from '../db';
import { findPipeline, latestPipelines } from './pipeline-store';
import { conflict, handleEndpoint, MockApiError, notFound } from '../handle-endpoint';

const points = (p: Pipeline, target: Pipeline) =>
  p.id !== target.id &&
  (p.stages.some((s) => s.type === 'pipeline' && s.config.application === target.application && (s.config.pipeline === target.id || s.config.pipeline === target.name)) ||
    p.triggers.some((t) => t.type === 'pipeline' && t.application === target.application && (t.pipeline === target.id || t.pipeline === target.name)));

function push(pipeline: Pipeline): Pipeline {
  const updatedAt = new Date().toISOString();
  const next = Pipeline.parse({ ...pipeline, revision: pipeline.revision + 1, updatedAt });
  db.pipelineRevisions.push({ revision: next.revision, updatedAt, updatedBy: next.updatedBy, pipeline: next });
  return next;
}

// The same rules and wording as the BFF (src/server/routes/pipeline-management.ts), without the permission checks.
export const pipelineManagementHandlers = {
  deletePipeline: handleEndpoint(deletePipeline, ({ params }) => {
    const pipeline = findPipeline(params.pipelineId);
    const running = db.executions.filter((e) => e.pipelineId === pipeline.id && !COMPLETED.has(e.status)).map((e) => e.id as string);
    const pointedAtBy = latestPipelines().filter((p) => points(p, pipeline));
    if (running.length || pointedAtBy.length) {
      const reasons = [
        ...(running.length
          ? [`${running.length === 1 ? 'execution' : 'executions'} ${running.join(', ')} ${running.length === 1 ? 'is' : 'are'} still running (cancel or let them finish)`]
          : []),
        ...(pointedAtBy.length ? [`${pointedAtBy.map((p) => `'${p.application}/${p.name}'`).join(', ')} ${pointedAtBy.length === 1 ? 'runs or watches' : 'run or watch'} it`] : []),
      ];
      throw new MockApiError(409, { error: 'conflict', message: `Pipeline '${pipeline.name}' cannot be deleted: ${reasons.join('; ')}.`, field: 'pipelineId' });
    }
    db.pipelineRevisions = db.pipelineRevisions.filter((r) => r.pipeline.id !== pipeline.id);
    return { pipelineId: pipeline.id, name: pipeline.name, deleted: true as const };
  }),
  renamePipeline: handleEndpoint(renamePipeline, ({ params, body }) => {
    const pipeline = findPipeline(params.pipelineId);
    if (body.name === pipeline.name) return { pipeline: publicPipeline(pipeline), updatedReferences: [] };
    if (latestPipelines().some((p) => p.application === pipeline.application && p.name === body.name)) {
      throw conflict(`application '${pipeline.application}' already has a pipeline named '${body.name}'`, 'name');
    }
    const renamed = push({ ...pipeline, name: body.name, updatedBy: db.auth.me?.user.name ?? 'anonymous' });
    const updatedReferences = latestPipelines()
      .filter((p) => p.id !== pipeline.id && p.stages.some((s) => s.type === 'pipeline' && s.config.application === pipeline.application && s.config.pipeline === pipeline.name))
      .map((p) => {
        const stages = p.stages.map((s) =>
          s.type === 'pipeline' && s.config.application === pipeline.application && s.config.pipeline === pipeline.name
            ? { ...s, config: { ...s.config, pipeline: body.name } }
            : s,
        );
        const next = push({ ...p, stages });
        return { id: next.id, application: next.application, name: next.name };
      });
    return { pipeline: publicPipeline(renamed), updatedReferences };
  }),
  duplicatePipeline: handleEndpoint(duplicatePipeline, ({ params, body }) => {
    const source = findPipeline(params.pipelineId);
    const application = body.application ?? source.application;
    if (!db.applications.some((a) => a.name === application)) throw notFound(`Application '${application}' does not exist.`, 'application');
    const me = db.auth.me;
    if (me && !can(me, 'WRITE', { application })) {
      throw new MockApiError(403, {
        error: 'forbidden',
        message: `${me.user.name} lacks WRITE permission on application '${application}', which copying a pipeline into it needs.`,
        field: 'application',
      });
    }
    const taken = new Set(
      latestPipelines()
        .filter((p) => p.application === application)
        .map((p) => p.name),
    );
    const name = body.name ?? copyName(source.name, taken);
    if (taken.has(name)) throw conflict(`application '${application}' already has a pipeline named '${name}'`, 'name');
    const by = me?.user.name ?? 'anonymous';
    const at = new Date().toISOString();
    const copy = copyOf(source, { application, name, by, at, newId: () => crypto.randomUUID(), newSecret: () => crypto.randomUUID().replaceAll('-', '') });
    const pipeline = Pipeline.parse({ ...copy.draft, id: crypto.randomUUID(), revision: 1, updatedAt: at, updatedBy: by });
    db.pipelineRevisions.push({ revision: 1, updatedAt: at, updatedBy: by, pipeline });
    return { pipeline: publicPipeline(pipeline), webhookSecrets: copy.webhookSecrets, notCopied: copy.notCopied };
  }),
};
