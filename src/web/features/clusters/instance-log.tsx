import { useQuery } from '@tanstack/react-query';
import { instanceLogQuery } from './cluster-queries';

/** What an instance process wrote (stdout and stderr), newest at the bottom. */
export function InstanceLog({ instanceId }: { instanceId: string }) {
  const query = useQuery(instanceLogQuery(instanceId));
  return (
    <section aria-label={`Log of ${instanceId}`} className="flex flex-col gap-1">
      <p className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Log of <span className="font-mono">{instanceId}</span>
        {query.data?.truncated ? ' (last 32 KB)' : ''}
      </p>
      {query.isPending ? (
        <p className="text-xs text-zinc-500">Loading…</p>
      ) : query.isError ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400">{query.error.message}</p>
      ) : (
        <pre className="max-h-64 overflow-auto rounded-md bg-zinc-950 p-2 font-mono text-[11px] leading-4 whitespace-pre-wrap text-zinc-100">
          {query.data.text || '(empty)'}
        </pre>
      )}
    </section>
  );
}
