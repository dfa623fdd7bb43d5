import { Link } from 'react-router';
import type { Pipeline } from '../../../shared/domain/pipeline';
import { Badge } from '../../components/badge';
import { DataTable, mutedCell, rowLinkClass, type Column } from '../../components/data-table';
import { RelativeTime } from '../../components/relative-time';
import { RunPipelineButton } from '../../components/run-pipeline-button';
import { paths } from '../../lib/paths';
import { PipelineRowActions } from './pipeline-row-actions';

const COLUMNS: Array<Column<Pipeline>> = [
  {
    header: 'Pipeline',
    rowHeader: true,
    cell: (p) => (
      <>
        <span className="flex items-center gap-2">
          <Link to={paths.pipelineEditor(p.application, p.id)} className={rowLinkClass}>
            {p.name}
          </Link>
          {p.disabled && <Badge tone="amber">disabled</Badge>}
        </span>
        {p.description && <span className="block max-w-md truncate text-xs xl:max-w-xl font-normal text-zinc-500">{p.description}</span>}
      </>
    ),
  },
  { header: 'Stages', numeric: true, cell: (p) => p.stages.length },
  {
    header: 'Triggers',
    cell: (p) => (
      <span className="flex flex-wrap gap-1">
        {p.triggers
          .filter((t) => t.enabled)
          .map((t, i) => (
            <Badge key={i}>{t.type}</Badge>
          ))}
      </span>
    ),
  },
  { header: 'Revision', numeric: true, cell: (p) => p.revision },
  {
    header: 'Saved',
    className: mutedCell,
    cell: (p) => (
      <>
        <RelativeTime iso={p.updatedAt} /> by {p.updatedBy}
      </>
    ),
  },
  {
    header: 'Run',
    cell: (p) => <RunPipelineButton pipelineId={p.id} application={p.application} pipeline={p} label="Run" ariaLabel={`Run ${p.name}`} />,
  },
  { header: 'Manage', cell: (p) => <PipelineRowActions pipeline={p} /> },
];

/** An application's pipelines; the name opens the editor, Run starts one (its parameters form first), Manage renames, copies or deletes (on a phone one card per pipeline, Manage on screen). */
export function PipelinesTable({ pipelines }: { pipelines: readonly Pipeline[] }) {
  return <DataTable caption="Pipelines" columns={COLUMNS} rows={pipelines} rowKey={(p) => p.id} stacked />;
}
