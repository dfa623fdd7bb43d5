import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { DetailSection } from '../../components/detail-section';
import { LoadingState } from '../../components/loading-state';
import { PageHeader } from '../../components/page-header';
import { QueryErrorState } from '../../components/query-error-state';
import { RelativeTime } from '../../components/relative-time';
import { Skeleton } from '../../components/skeleton';
import { recipeQuery, recipeRevisionsQuery } from '../../features/images/image-queries';
import { RecipeEditor } from '../../features/images/recipe-editor';
import { BakeNowButton } from '../../features/images/bake-now-button';
import { applicationsQuery } from '../../features/applications/application-queries';

export function RecipePage() {
  const { recipeId = '' } = useParams();
  const query = useQuery(recipeQuery(recipeId));
  const revisions = useQuery(recipeRevisionsQuery(recipeId));
  const applications = useQuery(applicationsQuery());
  return (
    <>
      <title>{`${query.data?.name ?? 'Recipe'} · Images · Kiln`}</title>
      <PageHeader
        eyebrow="Bake recipe"
        title={query.data?.name ?? 'Recipe'}
        description={
          query.data && (
            <>
              Revision {query.data.revision}, saved <RelativeTime iso={query.data.updatedAt} /> by {query.data.updatedBy}. A Bake stage naming this recipe bakes its newest
              revision, and so does Bake now.
            </>
          )
        }
        actions={query.data && <BakeNowButton recipe={query.data.name} applications={applications.data?.map((a) => a.name)} />}
      />
      {query.isPending ? (
        <LoadingState label="Loading recipe…">
          <Skeleton className="h-64" />
        </LoadingState>
      ) : query.isError ? (
        <QueryErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : (
        <div className="flex flex-col gap-6">
          <RecipeEditor key={query.data.revision} recipe={query.data} />
          {revisions.data && (
            <DetailSection title="Revisions">
              <ol className="flex flex-col gap-1 text-sm text-zinc-700 dark:text-zinc-300">
                {revisions.data.map((r) => (
                  <li key={r.revision}>
                    r{r.revision} · {r.updatedBy}, <RelativeTime iso={r.updatedAt} />
                  </li>
                ))}
              </ol>
            </DetailSection>
          )}
        </div>
      )}
    </>
  );
}
