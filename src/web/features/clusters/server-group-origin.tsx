import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { listDeploymentHistory } from '../../../shared/api/history';
import type { ServerGroup } from '../../../shared/domain/server-group';
import { trafficPeriods } from '../../../shared/domain/deployment-history';
import { RelativeTime } from '../../components/relative-time';
import { PeriodActor } from '../../components/period-actor';
import { DetailField as Field } from '../../components/detail-field';
import { apiFetch } from '../../lib/api-client';
import { paths } from '../../lib/paths';
import { queryKeys } from '../../lib/query-keys';

/**
 * Server group → execution: which run created it and who, and since when and by whom it is in (or
 * out of) traffic, read from the deployment history (the other way is the run's Deploys).
 */
export function ServerGroupOrigin({ sg }: { sg: ServerGroup }) {
  const filters = { application: sg.application, cluster: sg.cluster };
  const history = useQuery({
    queryKey: queryKeys.history.list(filters),
    queryFn: ({ signal }) => apiFetch(listDeploymentHistory, { query: filters, signal }),
  });
  const entry = history.data?.entries.find((e) => e.account === sg.account && e.region === sg.region && e.serverGroup === sg.name && !e.destroyedAt);
  const current = entry && trafficPeriods(entry).at(-1);
  return (
    <>
      <Field label="Created by" className="col-span-3">
        {!entry ? (
          <span className="text-zinc-600 dark:text-zinc-400">{history.isPending ? '…' : 'not recorded'}</span>
        ) : (
          <span>
            {entry.createdBy ?? 'Kiln'}
            {entry.createdByExecution && (
              <>
                {' in '}
                <Link className="underline" to={paths.execution(sg.application, entry.createdByExecution)}>
                  execution {entry.createdByExecution.slice(0, 8)}
                </Link>
              </>
            )}
            {' · '}
            <Link
              className="underline"
              to={paths.applicationHistory(sg.application, {
                cluster: sg.cluster,
              })}
            >
              cluster history
            </Link>
          </span>
        )}
      </Field>
      {current && (
        <Field label={current.enabled ? 'In traffic since' : 'Out of traffic since'} className="col-span-3">
          <span>
            <RelativeTime iso={current.from} />
            <PeriodActor period={current} />
          </span>
        </Field>
      )}
    </>
  );
}
