import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeader } from '../../components/page-header';
import { QueryErrorState } from '../../components/query-error-state';
import { Skeleton } from '../../components/skeleton';
import { DemoGuide } from '../../features/projects/demo-guide';
import { ProjectList } from '../../features/projects/project-list';
import { CreateButton } from '../../features/projects/create-button';
import { DEMO_PROJECT } from '../../../shared/domain/demo';
import { projectsQuery } from '../../features/projects/project-queries';

// Shown only on a Kiln with no account, once the accounts are in: it loads beside their request
// instead of putting the account and cluster schemas in the first route.
const FirstAccountNotice = lazy(() => import('../../features/accounts/first-account-notice').then((m) => ({ default: m.FirstAccountNotice })));

export function ProjectsPage() {
  const query = useQuery(projectsQuery());
  return (
    <>
      <title>Projects · Kiln</title>
      <PageHeader title="Projects" description="Each project groups the applications one team delivers." actions={<CreateButton what={{ kind: 'project' }} />} />
      <Suspense fallback={null}>
        <FirstAccountNotice />
      </Suspense>
      {query.isPending ? (
        <LoadingState label="Loading projects…">
          <div className="grid grid-cols-[repeat(auto-fill,minmax(20rem,1fr))] gap-3">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} className="h-32 rounded-lg" />
            ))}
          </div>
        </LoadingState>
      ) : query.isError ? (
        <QueryErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : query.data.length === 0 ? (
        <EmptyState title="No projects yet">
          Create one with <code className="font-mono text-xs">POST /api/projects</code>; it will show up here.
        </EmptyState>
      ) : (
        <>
          {query.data.some((p) => p.demo && p.name === DEMO_PROJECT) && <DemoGuide />}
          <ProjectList projects={query.data} />
        </>
      )}
    </>
  );
}
