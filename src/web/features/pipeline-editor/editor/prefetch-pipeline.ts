import type { LoaderFunctionArgs } from 'react-router';
import type { Pipeline } from '../../../../shared/domain/pipeline';
import { getPipeline } from '../../../../shared/api/pipelines';
import { callEndpoint, endpointUrl } from '../../../../shared/api/client';
import { takePageStartFetch } from '../../../lib/page-start';
import { layoutStages } from '../layout/layout';

/** The editor route's pipeline, asked for by its loader; the page hands it to React Query. */
export interface EarlyPipeline {
  pipelineId: string;
  pipeline: Promise<Pipeline>;
}

/**
 * The editor route's loader (its own tiny chunk): the pipeline's request goes out with the editor's
 * code instead of after it — the code is most of the page's bytes, and the request used to wait for
 * it to arrive and render. On a first visit index.html asked for it even earlier, before the
 * dashboard's entry code loaded: that answer is used, read and checked like any other. Not
 * awaited, so the navigation does not wait on it either. Importing layout.ts starts the layout
 * worker now, and the layout starts as soon as the pipeline is in: usually done before the
 * editor's code has arrived (the editor finds it by the same stages array).
 */
export function prefetchPipeline({ params }: LoaderFunctionArgs): EarlyPipeline | null {
  const pipelineId = params.pipelineId;
  if (!pipelineId) return null;
  const call = { params: { pipelineId } };
  const early = takePageStartFetch('__kilnEarlyPipeline', endpointUrl(getPipeline, call));
  const pipeline = callEndpoint(
    {
      // Absolute, because Node's fetch (tests) has no page to resolve a relative URL against.
      baseUrl: globalThis.location?.origin ?? 'http://localhost/',
      send: (url, request) => early ?? fetch(url, request),
    },
    getPipeline,
    call,
  );
  // A failure is the page's query's to show; the second handler only keeps it from being logged as unhandled here.
  pipeline.then(
    (p) => void layoutStages(p.stages),
    () => undefined,
  );
  return { pipelineId, pipeline };
}
