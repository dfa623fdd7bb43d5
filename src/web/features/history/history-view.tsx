import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { QueryErrorState } from '../../components/query-error-state';
import { SelectField } from '../../components/select-field';
import { Skeleton } from '../../components/skeleton';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../lib/paths';
import { historyQuery } from './history-queries';
import { HistoryTable } from './history-table';

const ENVIRONMENTS = ['prod', 'staging', 'test', 'dev', 'other'];

/** `datetime-local` speaks local time without a zone; the API wants an instant. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : undefined);

/**
 * Deployment history with its filters in the URL: one application's (its History tab), or every
 * application the user may read (the History page), where "what ran in production on date X" is
 * one environment and one date away.
 */
export function HistoryView({ application }: { application: string | undefined }) {
  const [search, setSearch] = useSearchParams();
  const atId = useId();
  const [now] = useState(() => new Date());
  const environment = search.get('environment') ?? '';
  const cluster = search.get('cluster') ?? '';
  const chosenApp = application ?? search.get('application') ?? '';
  const atLocal = search.get('at') ?? '';
  const at = toInstant(atLocal);
  const query = useQuery(historyQuery({ application: chosenApp || undefined, environment: environment || undefined, cluster: cluster || undefined, at }));
  // Choices come from the whole history, not the filtered page, so a filter never hides its own option.
  const all = useQuery(historyQuery({ application })).data?.entries ?? [];
  const clusters = all.filter((e) => !chosenApp || e.application === chosenApp).map((e) => e.cluster);
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: true });
  };
  const what = chosenApp ? `of ${chosenApp}` : 'of every application you can read';

  return (
    <>
      <div className="flex flex-wrap items-end gap-3" role="group" aria-label="History filters">
        {application === undefined && (
          <SelectField
            label="Application"
            value={chosenApp}
            onChange={(v) => set('application', v)}
            allLabel="All applications"
            options={[...new Set(all.map((e) => e.application))].sort()}
          />
        )}
        <SelectField label="Environment" value={environment} onChange={(v) => set('environment', v)} allLabel="All environments" options={ENVIRONMENTS} />
        <SelectField label="Cluster" value={cluster} onChange={(v) => set('cluster', v)} allLabel="All clusters" options={[...new Set(clusters)].sort()} />
        {application !== undefined && (
          <Link className="self-center text-sm underline" to={paths.history({ environment: environment || undefined, at: atLocal || undefined })}>
            All applications
          </Link>
        )}
        <div className="flex items-center gap-1.5">
          <label htmlFor={atId} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
            Running at
          </label>
          <input
            id={atId}
            type="datetime-local"
            value={atLocal}
            onChange={(e) => set('at', e.target.value)}
            className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
        </div>
      </div>
      {query.isPending ? (
        <LoadingState label="Loading history…">
          <Skeleton className="h-40" />
        </LoadingState>
      ) : query.isError ? (
        <QueryErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : query.data.entries.length === 0 ? (
        <EmptyState title={at ? `Nothing ran then` : 'No server groups yet'}>
          {at
            ? `No server group ${what}${environment ? ` in ${environment}` : ''} existed at ${formatDateTime(at)}.`
            : 'Deploys record every server group here, also after it is destroyed.'}
        </EmptyState>
      ) : (
        <>
          <p role="status" className="text-sm text-zinc-700 dark:text-zinc-300">
            {/* While the next answer loads, the previous rows stay (dimmed) and the sentence says so. */}
            {query.isPlaceholderData
              ? 'Updating…'
              : at
                ? `${query.data.entries.length} server group${query.data.entries.length === 1 ? '' : 's'} ${what}${environment ? ` in ${environment}` : ''} ran at ${formatDateTime(at)}.`
                : `${query.data.entries.length} server group${query.data.entries.length === 1 ? '' : 's'}, newest first, destroyed ones included.`}
          </p>
          <div className={query.isPlaceholderData ? 'opacity-60' : ''}>
            <HistoryTable entries={query.data.entries} now={now} at={at ? new Date(at) : undefined} showApplication={!chosenApp} />
          </div>
        </>
      )}
    </>
  );
}
