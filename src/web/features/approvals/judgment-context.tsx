import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Execution, StageExecution } from '../../../shared/domain/execution';
import type { GroupNow, JudgmentContext } from '../../../shared/domain/judgment-context';
import { paths } from '../../lib/paths';
import { useNow } from '../../lib/use-now';
import { judgmentContextQuery } from './approvals-queries';

/** "2 days", "12 min", "40 s": how long something has run, as a person says it. */
export function spoken(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} days`;
}

const LINK = 'font-medium text-orange-700 underline-offset-2 hover:underline dark:text-orange-400';
const STRONG = 'font-semibold text-zinc-900 dark:text-zinc-100';
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
const PASSED: Record<string, string> = {
  SUCCEEDED: 'passed',
  TERMINAL: 'failed',
  FAILED_CONTINUE: 'failed (ignored)',
  SKIPPED: 'was skipped',
  RUNNING: 'is running',
  NOT_STARTED: 'has not run',
};

function Runs({ group, now }: { group: GroupNow; now: number }) {
  return (
    <>
      <span className={STRONG}>{group.image}</span> ({plural(group.instances, 'instance')}, since {spoken(now - Date.parse(group.launchedAt))})
    </>
  );
}

function Sentence({ application, context, now }: { application: string; context: JudgmentContext; now: number }) {
  const { target, promotes, staging, checks } = context;
  const imageLink = promotes && (
    <Link to={paths.image(promotes.name)} className={LINK}>
      {promotes.image}
    </Link>
  );
  return (
    <ul className="flex flex-col gap-1 text-sm">
      {target && (
        <li data-fact="target">
          <span className={STRONG}>
            {target.account}/{target.region} {target.cluster}
          </span>{' '}
          {target.current.length === 0 ? (
            'runs nothing yet: this is its first deploy'
          ) : (
            <>
              runs{' '}
              {target.current.map((g, i) => (
                <span key={g.name}>
                  {i > 0 && ' and '}
                  <Runs group={g} now={now} />
                </span>
              ))}
            </>
          )}
        </li>
      )}
      {promotes && (
        <li data-fact="promotes">
          → this promotes {imageLink}
          {promotes.commit ? (
            <>
              , built from commit <code className="font-mono text-xs">{promotes.commit.slice(0, 10)}</code>
              {promotes.ref && ` (${promotes.ref})`}
            </>
          ) : promotes.known ? (
            ', built with no commit recorded'
          ) : (
            ' (not in the image registry: no build record)'
          )}
          {promotes.parent && `, on ${promotes.parent}`}
          {promotes.ciRunUrl && (
            <>
              {' '}
              ·{' '}
              <a href={promotes.ciRunUrl} className={LINK} rel="noreferrer noopener" target="_blank">
                CI run
              </a>
            </>
          )}
        </li>
      )}
      {staging && (
        <li data-fact="staging">
          {staging.group ? (
            <Link
              to={paths.applicationClusters(application, { select: { account: staging.group.account, region: staging.group.region, name: staging.serverGroup } })}
              className={LINK}
            >
              {staging.serverGroup}
            </Link>
          ) : (
            <span className={STRONG}>{staging.serverGroup}</span>
          )}{' '}
          ({staging.stageName}){' '}
          {!staging.group
            ? 'is gone'
            : staging.group.healthy === 0
              ? `has no healthy instance of ${staging.group.instances}`
              : `healthy ${staging.since ? `for ${spoken(now - Date.parse(staging.since))}` : ''} (${staging.group.healthy}/${staging.group.instances} instances)`}
          {staging.address && (
            <>
              {' '}
              ·{' '}
              <a href={`http://${staging.address}/`} className={LINK} rel="noreferrer noopener" target="_blank">
                open staging
              </a>
            </>
          )}
        </li>
      )}
      {checks.map((c) => (
        <li key={c.refId} data-fact="check" className={c.status === 'TERMINAL' ? 'text-red-800 dark:text-red-300' : ''}>
          {c.stageName} {PASSED[c.status] ?? c.status.toLowerCase()}
        </li>
      ))}
    </ul>
  );
}

/** What approving changes, in one glance: production now → what this promotes, where it was built from, how staging has done. */
export function JudgmentContextView({ execution, stage }: { execution: Execution; stage: StageExecution }) {
  const waiting = stage.status === 'SUSPENDED';
  const now = useNow(waiting, 30_000);
  const { data, error } = useQuery(judgmentContextQuery(execution.id, stage.refId, waiting));
  if (error) return <p className="text-sm text-zinc-600 dark:text-zinc-400">What this changes could not be read: {error.message}</p>;
  if (!data) return <p className="text-sm text-zinc-600 dark:text-zinc-400">Reading what this changes…</p>;
  if (!data.target && !data.promotes && !data.staging && data.checks.length === 0) return null;
  return (
    <section aria-label="What this approval changes" className="flex flex-col gap-1">
      <h4 className="text-xs font-semibold text-zinc-700 uppercase dark:text-zinc-300">What this changes</h4>
      <Sentence application={execution.application} context={data} now={now} />
    </section>
  );
}
