import { Link } from 'react-router';
import type { ApplicationSummary } from '../../../shared/domain/application';
import { Badge } from '../../components/badge';
import { DataTable, mutedCell, rowLinkClass, type Column } from '../../components/data-table';
import { DemoBadge } from '../../components/demo-badge';
import { paths } from '../../lib/paths';

const COLUMNS: Array<Column<ApplicationSummary>> = [
  {
    header: 'Application',
    rowHeader: true,
    cell: (app) => (
      <span className="flex items-center gap-2">
        <Link to={paths.applicationClusters(app.name)} className={rowLinkClass}>
          {app.name}
        </Link>
        {app.demo && <DemoBadge />}
      </span>
    ),
  },
  {
    header: 'Project',
    cell: (app) => (
      <Link to={paths.project(app.project)} className="text-zinc-600 hover:underline dark:text-zinc-400">
        {app.project}
      </Link>
    ),
  },
  { header: 'Description', className: `max-w-md truncate ${mutedCell}`, cell: (app) => <span title={app.description}>{app.description}</span> },
  { header: 'Clusters', numeric: true, cell: (app) => app.clusterCount },
  { header: 'Server groups', numeric: true, cell: (app) => app.serverGroupCount },
  { header: 'Instances', numeric: true, cell: (app) => app.instanceCount },
  {
    header: 'Accounts',
    cell: (app) => (
      <span className="flex flex-wrap gap-1">
        {app.accounts.length === 0 ? <span className="text-zinc-400 dark:text-zinc-500">—</span> : app.accounts.map((account) => <Badge key={account}>{account}</Badge>)}
      </span>
    ),
  },
];

export function ApplicationsTable({ applications }: { applications: readonly ApplicationSummary[] }) {
  return <DataTable caption="Applications" columns={COLUMNS} rows={applications} rowKey={(a) => a.name} />;
}
