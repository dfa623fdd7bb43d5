import { queryOptions, useQuery } from '@tanstack/react-query';
import { listLoadBalancers } from '../../../shared/api/clusters';
import { DEMO_APPLICATION, DEMO_BALANCERS } from '../../../shared/domain/demo';
import type { LoadBalancer } from '../../../shared/domain/load-balancer';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { demoLinkClass } from './demo-link';

// Weights move during a rolling deploy; a newcomer watching this card should see them move.
const balancersQuery = () =>
  queryOptions({
    queryKey: queryKeys.clusters.loadBalancers(DEMO_APPLICATION),
    queryFn: ({ signal }) => apiFetch(listLoadBalancers, { params: { application: DEMO_APPLICATION }, signal }),
    refetchInterval: 3000,
  });

function Balancer({ label, lb }: { label: string; lb: LoadBalancer | undefined }) {
  if (!lb) return <li>{label}: not deployed yet (the first release creates it).</li>;
  const url = `http://${lb.address}/`;
  return (
    <li>
      {label}:{' '}
      <a href={url} target="_blank" rel="noreferrer" className={`${demoLinkClass} font-mono`}>
        {url}
      </a>{' '}
      <span className="text-zinc-600 dark:text-zinc-400">
        → {lb.targets.length === 0 ? 'no server group enabled' : lb.targets.map((t) => `${t.serverGroup} ${t.weight}%`).join(', ')}
      </span>
    </li>
  );
}

/** The demo's two balancers and where their traffic goes now (the demo guide's live part). */
export function DemoBalancers() {
  const balancers = useQuery(balancersQuery());
  const find = (name: string) => balancers.data?.find((lb) => lb.name === name);
  if (balancers.isError) return <li>The load balancers could not be loaded: {balancers.error.message}</li>;
  if (balancers.isPending) return <li>Loading the load balancers…</li>;
  return (
    <>
      <Balancer label="Production" lb={find(DEMO_BALANCERS.prod)} />
      <Balancer label="Staging" lb={find(DEMO_BALANCERS.staging)} />
    </>
  );
}
