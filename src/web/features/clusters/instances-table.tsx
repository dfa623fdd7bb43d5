import type { Instance } from '../../../shared/domain/instance';
import { HealthBadge } from '../../components/health-badge';
import { RelativeTime } from '../../components/relative-time';

const TH = 'px-2 py-1.5 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';
const TD = 'px-2 py-1.5 align-top';

export function InstancesTable({ instances }: { instances: readonly Instance[] }) {
  if (instances.length === 0) {
    return <p className="text-sm text-zinc-500 dark:text-zinc-400">This server group has no instances.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-xs">
        <caption className="sr-only">Instances</caption>
        <thead className="bg-zinc-50 dark:bg-zinc-900/60">
          <tr>
            <th scope="col" className={TH}>Instance</th>
            <th scope="col" className={TH}>Health</th>
            <th scope="col" className={TH}>Address</th>
            <th scope="col" className={TH}>Zone</th>
            <th scope="col" className={TH}>Launched</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {instances.map((instance) => (
            <tr key={instance.id}>
              <th scope="row" className={`${TD} text-left font-mono font-medium whitespace-nowrap`}>
                {instance.id}
              </th>
              <td className={TD}>
                <HealthBadge health={instance.health} />
                {instance.healthDetail && (
                  <p className="mt-0.5 text-[11px] text-zinc-500 dark:text-zinc-400">{instance.healthDetail}</p>
                )}
              </td>
              <td className={`${TD} font-mono whitespace-nowrap`}>{instance.address}</td>
              <td className={`${TD} whitespace-nowrap`}>{instance.zone}</td>
              <td className={`${TD} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
                <RelativeTime iso={instance.launchedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
