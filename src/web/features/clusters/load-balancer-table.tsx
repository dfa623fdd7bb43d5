import type { LoadBalancer } from '../../../shared/domain/load-balancer';
import type { ServerGroup } from '../../../shared/domain/server-group';

const TH = 'px-2 py-1.5 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';
const TD = 'px-2 py-1.5';

interface LoadBalancerTableProps {
  loadBalancers: readonly LoadBalancer[];
  serverGroup: ServerGroup;
}

export function LoadBalancerTable({ loadBalancers, serverGroup }: LoadBalancerTableProps) {
  if (loadBalancers.length === 0) {
    return <p className="text-sm text-zinc-500 dark:text-zinc-400">No load balancer routes to this server group.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-xs">
        <caption className="sr-only">Load balancers</caption>
        <thead className="bg-zinc-50 dark:bg-zinc-900/60">
          <tr>
            <th scope="col" className={TH}>
              Name
            </th>
            <th scope="col" className={TH}>
              Address
            </th>
            <th scope="col" className={`${TH} text-right`}>
              Weight
            </th>
            <th scope="col" className={TH}>
              Health check
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {loadBalancers.map((lb) => {
            const weight = lb.targets.find((t) => t.serverGroup === serverGroup.name)?.weight;
            return (
              <tr key={lb.name}>
                <th scope="row" className={`${TD} text-left font-mono font-medium`}>
                  {lb.name}
                </th>
                <td className={`${TD} font-mono`}>
                  {lb.protocol}://{lb.address}
                </td>
                <td className={`${TD} text-right tabular-nums`}>
                  {weight === undefined ? '—' : `${weight}%`}
                  {/* The weight is kept while disabled but applies only once the group is enabled again. */}
                  {serverGroup.disabled && weight !== undefined && <span className="block text-[11px] text-zinc-500 dark:text-zinc-400">while enabled</span>}
                </td>
                <td className={`${TD} font-mono`}>{lb.healthCheckPath}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
