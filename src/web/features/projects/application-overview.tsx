import { Link } from 'react-router';
import type { ProjectDashboard } from '../../../shared/domain/dashboard';
import { DemoBadge } from '../../components/demo-badge';
import { paths } from '../../lib/paths';
import { ClusterSummaryCard } from './cluster-summary-card';

type Entry = ProjectDashboard['applications'][number];

/** One application on the project dashboard: where each of its clusters stands right now. */
export function ApplicationOverview({ entry }: { entry: Entry }) {
  const { application, clusters } = entry;
  const headingId = `app-${application.name}`;
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-2">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id={headingId} className="text-base font-semibold">
          <Link to={paths.applicationClusters(application.name)} className="hover:text-orange-700 dark:hover:text-orange-400">
            {application.name}
          </Link>
        </h2>
        {application.demo && <DemoBadge />}
        <p className="truncate text-sm text-zinc-600 dark:text-zinc-400">{application.description}</p>
      </div>
      {clusters.length === 0 ? (
        <p className="rounded-md border border-dashed border-zinc-300 px-3 py-4 text-sm text-zinc-500 dark:border-zinc-700 dark:text-zinc-400">
          Nothing deployed yet: this application has no server groups.
        </p>
      ) : (
        <ul aria-label={`Clusters of ${application.name}`} className="grid grid-cols-[repeat(auto-fill,minmax(15rem,1fr))] gap-2">
          {clusters.map((summary) => (
            <li key={`${summary.account}/${summary.region}/${summary.cluster}`}>
              <ClusterSummaryCard summary={summary} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
