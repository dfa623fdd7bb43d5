import { queryOptions, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { listLoadBalancers } from '../../../shared/api/clusters';
import { DEMO_APPLICATION, DEMO_BALANCERS, DEMO_PIPELINE } from '../../../shared/domain/demo';
import type { LoadBalancer } from '../../../shared/domain/load-balancer';
import { apiFetch } from '../../lib/api-client';
import { paths } from '../../lib/paths';
import { queryKeys } from '../../lib/query-keys';
import { pipelinesQuery } from '../../lib/pipeline-queries';

// Weights move during a rolling deploy; a newcomer watching this card should see them move.
const balancersQuery = () =>
  queryOptions({
    queryKey: queryKeys.clusters.loadBalancers(DEMO_APPLICATION),
    queryFn: ({ signal }) => apiFetch(listLoadBalancers, { params: { application: DEMO_APPLICATION }, signal }),
    refetchInterval: 3000,
  });

const linkClass = 'font-medium text-orange-700 underline-offset-2 hover:underline dark:text-orange-400';

function Balancer({ label, lb }: { label: string; lb: LoadBalancer | undefined }) {
  if (!lb) return <li>{label}: not deployed yet (the first release creates it).</li>;
  const url = `http://${lb.address}/`;
  return (
    <li>
      {label}:{' '}
      <a href={url} target="_blank" rel="noreferrer" className={`${linkClass} font-mono`}>
        {url}
      </a>{' '}
      <span className="text-zinc-600 dark:text-zinc-400">
        → {lb.targets.length === 0 ? 'no server group enabled' : lb.targets.map((t) => `${t.serverGroup} ${t.weight}%`).join(', ')}
      </span>
    </li>
  );
}

/**
 * The front page's "what do I do now": the demo is a real release process, and these are the
 * clicks that run it and the addresses where its traffic can be watched switching versions.
 */
export function DemoGuide() {
  const balancers = useQuery(balancersQuery());
  const pipelines = useQuery(pipelinesQuery(DEMO_APPLICATION));
  const pipeline = pipelines.data?.find((p) => p.name === DEMO_PIPELINE);
  const find = (name: string) => balancers.data?.find((lb) => lb.name === name);

  return (
    <section
      aria-labelledby="demo-guide-title"
      className="mb-6 rounded-lg border border-violet-200 bg-violet-50/60 p-4 text-sm text-zinc-800 dark:border-violet-400/25 dark:bg-violet-400/5 dark:text-zinc-200"
    >
      <h2 id="demo-guide-title" className="text-base font-semibold text-zinc-900 dark:text-zinc-50">
        Try it: ship the demo storefront to production
      </h2>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">
        Kiln released storefront v1 when it first started. Everything below is real: a baked image, instance processes and load balancers on this machine.
      </p>
      <ol className="mt-3 flex list-decimal flex-col gap-1.5 pl-5">
        <li>
          Open{' '}
          {pipeline ? (
            <Link to={paths.pipelineEditor(DEMO_APPLICATION, pipeline.id)} className={linkClass}>
              {DEMO_PIPELINE}
            </Link>
          ) : (
            <Link to={paths.applicationPipelines(DEMO_APPLICATION)} className={linkClass}>
              storefront’s pipelines
            </Link>
          )}{' '}
          and press <strong>Run</strong>. It bakes the next version and deploys it red/black to staging.
        </li>
        <li>
          Watch the bake and smoke-test logs live in{' '}
          <Link to={paths.applicationExecutions(DEMO_APPLICATION)} className={linkClass}>
            storefront’s executions
          </Link>
          .
        </li>
        <li>
          Approve <strong>Promote to production?</strong> in{' '}
          <Link to={paths.approvals()} className={linkClass}>
            Approvals
          </Link>
          . Production then rolls over in three steps (34%, 67%, 100%), ten seconds apart.
        </li>
        <li>
          Watch traffic switch: reload these while it rolls; each page names the version that answered.
          <ul className="mt-1 flex flex-col gap-0.5 pl-1">
            {balancers.isError ? (
              <li>The load balancers could not be loaded: {balancers.error.message}</li>
            ) : balancers.isPending ? (
              <li>Loading the load balancers…</li>
            ) : (
              <>
                <Balancer label="Production" lb={find(DEMO_BALANCERS.prod)} />
                <Balancer label="Staging" lb={find(DEMO_BALANCERS.staging)} />
              </>
            )}
          </ul>
        </li>
      </ol>
      <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">
        From a terminal: <code className="font-mono">kiln pipeline run "storefront/{DEMO_PIPELINE}"</code>, then{' '}
        <code className="font-mono">kiln execution wait ID --for judgment</code> and <code className="font-mono">kiln execution judge ID judgment --approve</code>.
      </p>
    </section>
  );
}
