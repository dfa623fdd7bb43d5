import type { LoaderFunctionArgs } from 'react-router';
import type { Pipeline } from '../../../shared/domain/pipeline';
import { getPipeline } from '../../../shared/api/pipelines';
import { apiFetch } from '../../lib/api-client';

/** The editor route's pipeline, asked for by its loader; the page hands it to React Query. */
export interface EarlyPipeline {
  pipelineId: string;
  pipeline: Promise<Pipeline>;
}

/**
 * The editor route's loader (its own tiny chunk): the pipeline's request goes out with the editor's
 * code instead of after it — the code is most of the page's bytes, and the request used to wait for
 * it to arrive and render. Not awaited, so the navigation does not wait on it either.
 */
export function prefetchPipeline({ params }: LoaderFunctionArgs): EarlyPipeline | null {
  const pipelineId = params.pipelineId;
  if (!pipelineId) return null;
  const pipeline = apiFetch(getPipeline, { params: { pipelineId } });
  // Handled by the page's query; this only keeps a page that never renders (navigated away) from logging it as unhandled.
  pipeline.catch(() => undefined);
  return { pipelineId, pipeline };
}
