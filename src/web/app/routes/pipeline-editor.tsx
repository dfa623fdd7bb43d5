import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLoaderData, useParams } from 'react-router';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { QueryGuard } from '../../components/query-guard';
import { Skeleton } from '../../components/skeleton';
import { PipelineEditor } from '../../features/pipeline-editor/editor/pipeline-editor';
import type { EarlyPipeline } from '../../features/pipeline-editor/editor/prefetch-pipeline';
import { pipelineQuery } from '../../lib/pipeline-queries';
import { paths } from '../../lib/paths';

/** The pipeline editor page; the editor's draft lives as long as this pipeline is open. */
export function PipelineEditorPage() {
  const { application = '', pipelineId = '' } = useParams();
  const early = useLoaderData() as EarlyPipeline | null | undefined;
  const client = useQueryClient();
  const options = pipelineQuery(pipelineId);
  // The route's loader already asked for the pipeline (prefetch-pipeline.ts): that request fills the
  // cache, unless the cache has this pipeline already (then it is what the editor shows, as before).
  if (early?.pipelineId === pipelineId && client.getQueryState(options.queryKey) === undefined) {
    let handedOver = false;
    void client.prefetchQuery({
      ...options,
      queryFn: (context) => {
        // Once: a retry (after a 5xx) asks the server again.
        if (handedOver) return options.queryFn!(context);
        handedOver = true;
        return early.pipeline;
      },
    });
  }
  const query = useQuery(options);
  return (
    <QueryGuard
      query={query}
      loading={
        <LoadingState label="Loading the pipeline…">
          <Skeleton className="h-[60vh] w-full" />
        </LoadingState>
      }
      notFound={
        <EmptyState
          title="This pipeline does not exist"
          action={
            <Link to={paths.applicationPipelines(application)} className="text-sm underline">
              All pipelines of {application}
            </Link>
          }
        >
          It may have been deleted, or the link is wrong.
        </EmptyState>
      }
    >
      {(pipeline) => (
        <>
          <title>{`${pipeline.name} · ${application} · Kiln`}</title>
          <h2 className="sr-only">Pipeline {pipeline.name}</h2>
          <PipelineEditor key={pipeline.id} pipeline={pipeline} />
        </>
      )}
    </QueryGuard>
  );
}
