import { useQuery } from '@tanstack/react-query';
import { describeHealth } from '../../../shared/domain/account';
import { Button } from '../../components/button';
import { accountHealthQuery } from './account-queries';

export function AccountHealthCell({ account }: { account: string }) {
  const health = useQuery(accountHealthQuery(account));
  const tone = health.data?.status === 'reachable' ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400';
  return (
    <div className="flex items-center gap-2">
      {health.isPending ? (
        <span className="text-zinc-500">checking…</span>
      ) : health.isError ? (
        <span className="text-red-700 dark:text-red-400">{health.error.message}</span>
      ) : (
        <span className={tone} data-testid={`health-${account}`}>
          {describeHealth(health.data)}
        </span>
      )}
      <Button size="sm" variant="ghost" onClick={() => void health.refetch()} disabled={health.isFetching} aria-label={`Check ${account} again`}>
        Check
      </Button>
    </div>
  );
}
