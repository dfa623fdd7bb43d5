import { z } from 'zod';
import { endpoint } from './endpoint';
import { ApplicationParams } from './applications';
import { PipelineId, PublicPipeline } from '../domain/pipeline';
import { Timestamp } from '../domain/ids';

export const PipelineParams = z.object({ pipelineId: PipelineId });

export const PipelineProblemSchema = z.object({
  path: z.string(),
  stageRefId: z.string().optional(),
  stageName: z.string().optional(),
  message: z.string(),
});

export const ValidationResult = z.object({ ok: z.boolean(), problems: z.array(PipelineProblemSchema) });

export const listPipelines = endpoint({
  method: 'GET',
  path: '/api/applications/:application/pipelines',
  summary: "An application's pipelines (latest revision of each)",
  params: ApplicationParams,
  response: z.array(PublicPipeline),
});

export const createPipeline = endpoint({
  method: 'POST',
  path: '/api/applications/:application/pipelines',
  summary: 'Create a pipeline (revision 1); 400 lists every validation problem',
  params: ApplicationParams,
  body: z.unknown(),
  response: PublicPipeline,
  status: 201,
});

export const getPipeline = endpoint({
  method: 'GET',
  path: '/api/pipelines/:pipelineId',
  summary: 'The latest revision of a pipeline',
  params: PipelineParams,
  response: PublicPipeline,
});

export const SavePipelineBody = z.object({
  /** The revision the edit started from; an older one than the stored one is a conflict (409). */
  baseRevision: z.number().int().positive('baseRevision must be the revision you edited'),
  pipeline: z.unknown(),
});

export const savePipeline = endpoint({
  method: 'PUT',
  path: '/api/pipelines/:pipelineId',
  summary: 'Save a new revision; 409 with the current revision when someone saved first',
  params: PipelineParams,
  body: SavePipelineBody,
  response: PublicPipeline,
});

export const validatePipelineEndpoint = endpoint({
  method: 'POST',
  path: '/api/pipelines::validate',
  summary: 'Every problem with a pipeline at once, each naming the stage and field',
  body: z.unknown(),
  response: ValidationResult,
});

export const PipelineRevision = z.object({
  revision: z.number().int().positive(),
  updatedAt: Timestamp,
  updatedBy: z.string(),
  pipeline: PublicPipeline,
});
export type PipelineRevision = z.infer<typeof PipelineRevision>;

export const listPipelineRevisions = endpoint({
  method: 'GET',
  path: '/api/pipelines/:pipelineId/revisions',
  summary: 'Every saved revision of a pipeline, newest first',
  params: PipelineParams,
  response: z.array(PipelineRevision),
});

export const restorePipelineRevision = endpoint({
  method: 'POST',
  path: '/api/pipelines/:pipelineId/revisions/:revision/restore',
  summary: 'Save an old revision again as the newest one',
  params: PipelineParams.extend({ revision: z.coerce.number().int().positive('revision must be a positive number') }),
  body: z.object({ baseRevision: z.number().int().positive() }),
  response: PublicPipeline,
});

/** A pipeline name as a rename or a copy takes it: the editor's rule, so the answer names `name`. */
export const PipelineName = z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters');

export const deletePipeline = endpoint({
  method: 'DELETE',
  path: '/api/pipelines/:pipelineId',
  summary: 'Delete a pipeline; 409 naming the runs still under way or the pipelines that run or watch it. Its past executions stay readable',
  params: PipelineParams,
  response: z.object({ pipelineId: PipelineId, name: z.string(), deleted: z.literal(true) }),
});

export const renamePipeline = endpoint({
  method: 'POST',
  path: '/api/pipelines/:pipelineId/rename',
  summary: "Rename a pipeline (a new revision); other pipelines' run-pipeline stages that name it follow it",
  params: PipelineParams,
  body: z.object({ name: PipelineName }),
  response: z.object({
    pipeline: PublicPipeline,
    /** Pipelines (that the caller may read) whose stages named the old name and now name the new one. */
    updatedReferences: z.array(z.object({ id: PipelineId, application: z.string(), name: z.string() })),
  }),
});

export const DuplicatePipelineBody = z.object({
  /** Defaults to the source's application; copying into another needs WRITE there. */
  application: z.string().max(63, 'application must be at most 63 characters').optional(),
  /** Defaults to "<name> (copy)". */
  name: PipelineName.optional(),
});

export const duplicatePipeline = endpoint({
  method: 'POST',
  path: '/api/pipelines/:pipelineId/duplicate',
  summary: 'Copy a pipeline (into its own or another application): a new id, its triggers disabled, new webhook secrets shown once',
  params: PipelineParams,
  body: DuplicatePipelineBody,
  response: z.object({
    pipeline: PublicPipeline,
    /** Each copied webhook trigger gets a new secret (the source's is never copied); shown only in this answer. */
    webhookSecrets: z.array(z.object({ triggerId: z.string(), secret: z.string() })),
    /** Write-only secrets left behind when copying into another application, in words. */
    notCopied: z.array(z.string()),
  }),
  status: 201,
});

/** Managing pipelines beside editing them: spread into allEndpoints as one group. */
export const pipelineManagementEndpoints = { deletePipeline, renamePipeline, duplicatePipeline };
