import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { LogView } from '../../components/log-view';
import { instanceLogQuery } from './cluster-queries';

/**
 * What an instance process wrote (stdout and stderr), in the same viewer as stage logs (colours,
 * search, wrap, follow, download). The API returns the end of the file, refetched while open.
 */
export function InstanceLog({ instanceId }: { instanceId: string }) {
  const query = useQuery(instanceLogQuery(instanceId));
  const text = query.data?.text;
  // Same text on a refetch: same array, so the viewer does no work.
  const lines = useMemo(() => (text ? text.replace(/\n$/, '').split('\n') : []), [text]);
  return (
    <div className="flex flex-col gap-1">
      <p className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Log of <span className="font-mono">{instanceId}</span>
        {query.data?.truncated ? ' (last 32 KB; line 1 is where that window starts)' : ''}
      </p>
      {query.isError ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400">
          {query.error.message}
        </p>
      ) : (
        <LogView label={`Log of ${instanceId}`} lines={lines} loading={query.isPending} live fileName={`${instanceId}.log`} height={256} />
      )}
    </div>
  );
}
