import type { Pipeline } from '../../src/shared/domain/pipeline';
import { db } from '../db';
import { notFound } from '../handle-endpoint';

// The mock keeps every revision; these read the newest one of each pipeline, as the BFF's repository does.

export const latestPipelines = (): Pipeline[] => {
  const newest = new Map<string, Pipeline>();
  for (const r of db.pipelineRevisions) newest.set(r.pipeline.id, r.pipeline);
  return [...newest.values()];
};

export const findPipeline = (id: string): Pipeline => {
  const pipeline = latestPipelines().find((p) => p.id === id);
  if (!pipeline) throw notFound(`Pipeline '${id}' does not exist.`, 'pipelineId');
  return pipeline;
};
