import { Link } from 'react-router';
import type { ImageDetail } from '../../../shared/domain/image';
import { paths } from '../../lib/paths';
import { BuildOrigin } from './build-origin';

const TH = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';

/** Where each version runs: the server groups launched from it or from an image built on it, with their instance counts (disabled ones marked). */
export function ImageUsageTable({ detail }: { detail: ImageDetail }) {
  if (detail.usage.length === 0) return <p className="text-sm text-zinc-500 dark:text-zinc-400">No server group runs {detail.name} now.</p>;
  const revoked = new Set(detail.versions.filter((v) => v.revoked).map((v) => v.version));
  const builds = new Map(detail.versions.map((v) => [v.version, v.build]));
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm">
        <caption className="sr-only">Where {detail.name} runs</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/50">
          <tr>
            {['Version', 'Application', 'Account', 'Region', 'Cluster', 'Server group'].map((h) => (
              <th key={h} scope="col" className={TH}>
                {h}
              </th>
            ))}
            <th scope="col" className={`${TH} text-right`}>
              Instances
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {detail.usage.map((u) => (
            <tr key={`${u.account}/${u.region}/${u.serverGroup}`}>
              <td className="px-3 py-2 font-mono text-xs">
                {u.version}
                {revoked.has(u.version) && <span className="ml-1 font-sans text-red-700 dark:text-red-400">(revoked)</span>}
                {builds.get(u.version) && <BuildOrigin build={builds.get(u.version)!} />}
                {u.through && (
                  <span className="block font-sans text-zinc-600 dark:text-zinc-400">
                    via{' '}
                    <Link className="font-mono hover:underline" to={paths.image(u.through.split(':')[0]!)}>
                      {u.through}
                    </Link>
                  </span>
                )}
              </td>
              <td className="px-3 py-2">{u.application}</td>
              <td className="px-3 py-2">{u.account}</td>
              <td className="px-3 py-2">{u.region}</td>
              <td className="px-3 py-2">{u.cluster}</td>
              <td className="px-3 py-2">
                <Link className="hover:underline" to={paths.applicationClusters(u.application, { select: { account: u.account, region: u.region, name: u.serverGroup } })}>
                  {u.serverGroup}
                </Link>
              </td>
              <td className="px-3 py-2 text-right tabular-nums">
                {u.disabled ? (
                  // Disabled groups keep their instances up but serve nothing: counting them as running misleads on-call.
                  <span title="Out of its load balancers: serves no traffic">
                    {u.instances} <span className="text-amber-700 dark:text-amber-400">disabled</span>
                  </span>
                ) : (
                  u.instances
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
