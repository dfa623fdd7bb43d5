import type { Cluster } from '../../../shared/domain/cluster';
import type { ServerGroupRef } from '../../lib/query-keys';
import { ServerGroupCard } from './server-group-card';

interface ClusterGroupProps {
  cluster: Cluster;
  selected: ServerGroupRef | undefined;
  searchFor: (ref: ServerGroupRef) => string;
}

/** One cluster: a row per region, newest server group first (the order the API gives). */
export function ClusterGroup({ cluster, selected, searchFor }: ClusterGroupProps) {
  const id = `cluster-${cluster.account}-${cluster.name}`;
  return (
    <section aria-labelledby={id} className="border-t border-zinc-200 first:border-t-0 dark:border-zinc-800">
      <div className="flex items-baseline gap-2 px-3 pt-2.5 pb-1">
        <h3 id={id} className="font-mono text-sm font-semibold text-zinc-900 dark:text-zinc-100">
          {cluster.name}
        </h3>
        {cluster.stack && <span className="text-xs text-zinc-500 dark:text-zinc-400">stack {cluster.stack}</span>}
        {cluster.detail && <span className="text-xs text-zinc-500 dark:text-zinc-400">detail {cluster.detail}</span>}
      </div>
      {cluster.regions.map((region) => {
        const regionId = `${id}-${region.region}`;
        return (
          <div key={region.region} role="group" aria-labelledby={regionId} className="flex gap-3 px-3 py-2">
            <h4 id={regionId} className="w-24 shrink-0 pt-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">
              {region.region}
            </h4>
            <ul aria-label={`Server groups in ${region.region}`} className="flex flex-wrap gap-2">
              {region.serverGroups.map((sg) => {
                const isSelected = selected?.account === sg.account && selected.region === sg.region && selected.name === sg.name;
                return (
                  <li key={sg.name}>
                    <ServerGroupCard serverGroup={sg} search={searchFor(sg)} selected={isSelected} />
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
