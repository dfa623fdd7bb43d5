import { Link } from 'react-router';
import type { Pipeline } from '../../../shared/domain/pipeline';
import { Badge } from '../../components/badge';
import { RelativeTime } from '../../components/relative-time';
import { paths } from '../../lib/paths';

const TH = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';

/** An application's pipelines; the name opens the editor. */
export function PipelinesTable({ pipelines }: { pipelines: readonly Pipeline[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm">
        <caption className="sr-only">Pipelines</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/50">
          <tr>
            <th scope="col" className={TH}>Pipeline</th>
            <th scope="col" className={`${TH} text-right`}>Stages</th>
            <th scope="col" className={TH}>Triggers</th>
            <th scope="col" className={`${TH} text-right`}>Revision</th>
            <th scope="col" className={TH}>Saved</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {pipelines.map((p) => (
            <tr key={p.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
              <th scope="row" className="px-3 py-2 text-left font-medium">
                <span className="flex items-center gap-2">
                  <Link to={paths.pipelineEditor(p.application, p.id)} className="text-zinc-900 hover:text-orange-700 hover:underline dark:text-zinc-100 dark:hover:text-orange-400">
                    {p.name}
                  </Link>
                  {p.disabled && <Badge tone="amber">disabled</Badge>}
                </span>
                {p.description && <span className="block max-w-xl truncate text-xs font-normal text-zinc-500">{p.description}</span>}
              </th>
              <td className="px-3 py-2 text-right tabular-nums">{p.stages.length}</td>
              <td className="px-3 py-2">
                <span className="flex flex-wrap gap-1">
                  {p.triggers.filter((t) => t.enabled).map((t, i) => (
                    <Badge key={i}>{t.type}</Badge>
                  ))}
                </span>
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{p.revision}</td>
              <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">
                <RelativeTime iso={p.updatedAt} /> by {p.updatedBy}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
