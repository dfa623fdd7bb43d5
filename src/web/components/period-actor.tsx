import { Link } from 'react-router';
import type { TrafficPeriod } from '../../shared/domain/deployment-history';
import { paths } from '../lib/paths';

/** Who started a traffic period: " by ana", " by ana's run 1a2b3c4d" (a link), or nothing when unknown. */
export function PeriodActor({ period }: { period: Pick<TrafficPeriod, 'by' | 'execution' | 'executionApplication'> }) {
  const { by, execution, executionApplication } = period;
  if (!by && !execution) return null;
  return (
    <>
      {' by '}
      {execution && executionApplication ? (
        <>
          {by ? `${by}'s ` : ''}
          <Link className="underline" to={paths.execution(executionApplication, execution)}>
            run {execution.slice(0, 8)}
          </Link>
        </>
      ) : (
        by
      )}
    </>
  );
}
