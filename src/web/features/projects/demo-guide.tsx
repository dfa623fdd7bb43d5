import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { DEMO_APPLICATION, DEMO_PIPELINE } from '../../../shared/domain/demo';
import { paths } from '../../lib/paths';
import { demoLinkClass as linkClass } from './demo-link';

// The guide's words paint with the projects; the parts that wait for data anyway (the pipeline's
// id, the balancers) load with their data: they need the pipeline and cluster schemas, which
// the first route would otherwise carry for this card alone.
const DemoPipelineLink = lazy(() => import('./demo-pipeline-link').then((m) => ({ default: m.DemoPipelineLink })));
const DemoBalancers = lazy(() => import('./demo-balancers').then((m) => ({ default: m.DemoBalancers })));

/**
 * The front page's "what do I do now": the demo is a real release process, and these are the
 * clicks that run it and the addresses where its traffic can be watched switching versions.
 */
export function DemoGuide() {
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
          <Suspense
            fallback={
              <Link to={paths.applicationPipelines(DEMO_APPLICATION)} className={linkClass}>
                storefront’s pipelines
              </Link>
            }
          >
            <DemoPipelineLink />
          </Suspense>{' '}
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
            <Suspense fallback={<li>Loading the load balancers…</li>}>
              <DemoBalancers />
            </Suspense>
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
