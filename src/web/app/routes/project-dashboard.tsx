import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { buttonClasses } from '../../components/button';
import { DemoBadge } from '../../components/demo-badge';
import { DemoBanner } from '../../components/demo-banner';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeader } from '../../components/page-header';
import { QueryGuard } from '../../components/query-guard';
import { Skeleton } from '../../components/skeleton';
import { ApplicationOverview } from '../../features/projects/application-overview';
import { DemoGuide } from '../../features/projects/demo-guide';
import { CreateButton } from '../../features/projects/create-button';
import { ProjectSettings } from '../../features/projects/project-settings';
import { DEMO_PROJECT } from '../../../shared/domain/demo';
import { projectDashboardQuery } from '../../features/projects/project-queries';
import { paths } from '../../lib/paths';

export function ProjectDashboardPage() {
  const { project = '' } = useParams();
  const query = useQuery(projectDashboardQuery(project));

  return (
    <QueryGuard
      query={query}
      loading={
        <LoadingState label={`Loading project ${project}…`}>
          <div className="flex flex-col gap-4">
            <Skeleton className="h-7 w-64" />
            <Skeleton className="h-4 w-96 max-w-full" />
            {[0, 1].map((i) => (
              <Skeleton key={i} className="h-36 rounded-lg" />
            ))}
          </div>
        </LoadingState>
      }
      notFound={
        <EmptyState
          level={1}
          title={`Project '${project}' does not exist`}
          action={
            <Link to={paths.projects()} className={buttonClasses()}>
              Back to projects
            </Link>
          }
        >
          It may have been renamed, or the address has a typo.
        </EmptyState>
      }
    >
      {({ project: p, applications }) => (
        <>
          <title>{`${p.displayName} · Kiln`}</title>
          <PageHeader
            eyebrow="Project"
            title={p.displayName}
            badges={p.demo && <DemoBadge />}
            description={p.description}
            actions={
              <>
                <ProjectSettings key={`${p.displayName}/${p.description}/${p.ownerEmail}`} project={p} />
                <CreateButton what={{ kind: 'application', project: p.name }} />
              </>
            }
          >
            <p className="flex gap-4 text-xs text-zinc-500 dark:text-zinc-400">
              <span className="font-mono">{p.name}</span>
              <span>Owner {p.ownerEmail}</span>
            </p>
          </PageHeader>
          {p.demo && <DemoBanner subject="project" />}
          {p.demo && p.name === DEMO_PROJECT && <DemoGuide />}
          {applications.length === 0 ? (
            <EmptyState title="This project has no applications yet">
              Create one with <code className="font-mono text-xs">POST /api/applications</code> and project <code className="font-mono text-xs">{p.name}</code>.
            </EmptyState>
          ) : (
            <div className="flex flex-col gap-6">
              {applications.map((entry) => (
                <ApplicationOverview key={entry.application.name} entry={entry} />
              ))}
            </div>
          )}
        </>
      )}
    </QueryGuard>
  );
}
