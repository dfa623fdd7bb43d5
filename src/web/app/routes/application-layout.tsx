import { useQuery } from '@tanstack/react-query';
import { Outlet, useParams } from 'react-router';
import { DemoBanner } from '../../components/demo-banner';
import { LoadingState } from '../../components/loading-state';
import { QueryErrorState } from '../../components/query-error-state';
import { Skeleton } from '../../components/skeleton';
import { ApplicationHeader } from '../../features/applications/application-header';
import { ApplicationNotFound } from '../../features/applications/application-not-found';
import { applicationQuery } from '../../features/applications/application-queries';

/** Header and tabs shared by an application's pages; the tab's page renders (and fetches) in parallel. */
export function ApplicationLayout() {
  const { application = '' } = useParams();
  const query = useQuery(applicationQuery(application));

  if (query.isError) {
    return <QueryErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} notFound={<ApplicationNotFound name={application} />} />;
  }
  return (
    <>
      <title>{`${application} · Kiln`}</title>
      {query.data ? (
        <ApplicationHeader application={query.data} />
      ) : (
        <LoadingState label={`Loading application ${application}…`}>
          <div className="flex flex-col gap-2 pb-3">
            <Skeleton className="h-3 w-20" />
            <Skeleton className="h-7 w-48" />
            <Skeleton className="h-4 w-96 max-w-full" />
          </div>
        </LoadingState>
      )}
      {query.data?.demo && <DemoBanner subject="application" />}
      <Outlet />
    </>
  );
}
