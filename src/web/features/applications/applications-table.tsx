import { Link } from 'react-router';
import type { ApplicationSummary } from '../../../shared/domain/application';
import { Badge } from '../../components/badge';
import { DemoBadge } from '../../components/demo-badge';
import { paths } from '../../lib/paths';

const TH = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';
const NUM = 'px-3 py-2 text-right tabular-nums';

export function ApplicationsTable({ applications }: { applications: readonly ApplicationSummary[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm">
        <caption className="sr-only">Applications</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/50">
          <tr>
            <th scope="col" className={TH}>Application</th>
            <th scope="col" className={TH}>Project</th>
            <th scope="col" className={TH}>Description</th>
            <th scope="col" className={`${TH} text-right`}>Clusters</th>
            <th scope="col" className={`${TH} text-right`}>Server groups</th>
            <th scope="col" className={`${TH} text-right`}>Instances</th>
            <th scope="col" className={TH}>Accounts</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {applications.map((app) => (
            <tr key={app.name} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                <span className="flex items-center gap-2">
                  <Link
                    to={paths.applicationClusters(app.name)}
                    className="text-zinc-900 hover:text-orange-700 hover:underline dark:text-zinc-100 dark:hover:text-orange-400"
                  >
                    {app.name}
                  </Link>
                  {app.demo && <DemoBadge />}
                </span>
              </th>
              <td className="px-3 py-2">
                <Link to={paths.project(app.project)} className="text-zinc-600 hover:underline dark:text-zinc-400">
                  {app.project}
                </Link>
              </td>
              <td className="max-w-md truncate px-3 py-2 text-zinc-600 dark:text-zinc-400" title={app.description}>
                {app.description}
              </td>
              <td className={NUM}>{app.clusterCount}</td>
              <td className={NUM}>{app.serverGroupCount}</td>
              <td className={NUM}>{app.instanceCount}</td>
              <td className="px-3 py-2">
                <span className="flex flex-wrap gap-1">
                  {app.accounts.length === 0 ? (
                    <span className="text-zinc-400 dark:text-zinc-500">—</span>
                  ) : (
                    app.accounts.map((account) => <Badge key={account}>{account}</Badge>)
                  )}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
