import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { QueryErrorState } from '../../components/query-error-state';
import { Skeleton } from '../../components/skeleton';
import { NewPipelineForm } from '../../features/pipelines/new-pipeline-form';
import { pipelinesQuery } from '../../lib/pipeline-queries';
import { PipelinesTable } from '../../features/pipelines/pipelines-table';
import { usePermission } from '../../lib/auth-queries';

/**
 * Once the list is on screen and the browser idle, fetch and compile the editor's code (~130 KB gz
 * with React Flow and every stage's form): opening a pipeline from here then waits only for its data.
 * Where there is no idle callback (Safari, jsdom) the editor loads when opened, as before.
 */
function usePreloadEditor(listShown: boolean) {
  useEffect(() => {
    if (!listShown || typeof requestIdleCallback !== 'function') return;
    const idle = requestIdleCallback(() => {
      void import('../../features/pipeline-editor/editor/prefetch-pipeline');
      void import('./pipeline-editor');
    });
    return () => cancelIdleCallback(idle);
  }, [listShown]);
}

/** The Pipelines tab: every pipeline of the application, and a way to start a new one. */
export function ApplicationPipelinesPage() {
  const { application = '' } = useParams();
  const query = useQuery(pipelinesQuery(application));
  usePreloadEditor(query.data !== undefined);
  const write = usePermission('WRITE', { application });
  const [creating, setCreating] = useState(false);

  if (query.isError) return <QueryErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
  if (!query.data) {
    return (
      <LoadingState label="Loading pipelines…">
        <Skeleton className="h-24 w-full" />
      </LoadingState>
    );
  }
  return (
    <section aria-label="Pipelines" className="flex flex-col gap-3">
      <div className="flex items-center justify-between">
        <h2 className="text-sm font-semibold">
          {query.data.length} pipeline{query.data.length === 1 ? '' : 's'}
        </h2>
        {!creating && (
          <Button variant="primary" onClick={() => setCreating(true)} disabled={!write.allowed} title={write.why || undefined}>
            New pipeline
          </Button>
        )}
      </div>
      {creating && <NewPipelineForm application={application} onCancel={() => setCreating(false)} />}
      {query.data.length === 0 ? (
        <EmptyState title="No pipelines yet">Create one, then build it as a graph: drag stages from the palette and connect them.</EmptyState>
      ) : (
        <PipelinesTable pipelines={query.data} />
      )}
    </section>
  );
}
