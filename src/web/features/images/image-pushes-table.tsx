import type { ImageDetail } from '../../../shared/domain/image';
import { RelativeTime } from '../../components/relative-time';

const TH = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';

/** Where each version was pushed: what a cluster pulls it by (`repository@digest`). */
export function ImagePushesTable({ detail }: { detail: ImageDetail }) {
  if (detail.pushes.length === 0) return <p className="text-sm text-zinc-500 dark:text-zinc-400">No version of {detail.name} has been pushed to a registry.</p>;
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm">
        <caption className="sr-only">Where {detail.name} was pushed</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/50">
          <tr>
            {['Version', 'Registry', 'Repository', 'Digest', 'Pushed'].map((h) => (
              <th key={h} scope="col" className={TH}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {detail.pushes.map((p) => (
            <tr key={`${p.version}@${p.registry}`}>
              <th scope="row" className="px-3 py-2 text-left font-mono text-xs font-semibold">
                {p.version}
              </th>
              <td className="px-3 py-2 font-mono text-xs">{p.registry}</td>
              <td className="px-3 py-2 font-mono text-xs">{p.repository}</td>
              <td className="px-3 py-2 font-mono text-xs" title={`${p.repository}@${p.digest}`}>
                {p.digest.slice(0, 19)}…
              </td>
              <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">
                <RelativeTime iso={p.pushedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
