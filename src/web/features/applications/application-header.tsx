import { Link } from 'react-router';
import type { ApplicationSummary } from '../../../shared/domain/application';
import { DemoBadge } from '../../components/demo-badge';
import { PageHeader } from '../../components/page-header';
import { TabNav, type Tab } from '../../components/tab-nav';
import { paths } from '../../lib/paths';
import { plural } from '../../lib/format';
import { ApplicationSettings } from './application-settings';

export function ApplicationHeader({ application }: { application: ApplicationSummary }) {
  const tabs: Tab[] = [
    { label: 'Clusters', to: paths.applicationClusters(application.name) },
    { label: 'Pipelines', to: paths.applicationPipelines(application.name) },
    { label: 'Executions', to: paths.applicationExecutions(application.name) },
    { label: 'History', to: paths.applicationHistory(application.name) },
  ];
  return (
    <div className="flex flex-col gap-3">
      <PageHeader
        eyebrow="Application"
        title={application.name}
        badges={application.demo && <DemoBadge />}
        actions={<ApplicationSettings key={`${application.description}/${application.ownerEmail}`} application={application} />}
        description={application.description}
      >
        <p className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
          <span>
            Project{' '}
            <Link to={paths.project(application.project)} className="font-medium text-zinc-700 hover:underline dark:text-zinc-300">
              {application.project}
            </Link>
          </span>
          <span>Owner {application.ownerEmail}</span>
          <span>
            {plural(application.clusterCount, 'cluster')} · {plural(application.serverGroupCount, 'server group')} · {plural(application.instanceCount, 'instance')}
          </span>
        </p>
      </PageHeader>
      <TabNav label="Application sections" tabs={tabs} />
    </div>
  );
}
