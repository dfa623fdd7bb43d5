import { useState } from 'react';
import type { Instance } from '../../../shared/domain/instance';
import type { ServerGroup } from '../../../shared/domain/server-group';
import { usePermission } from '../../lib/auth-queries';
import { InstanceActions } from './instance-actions';
import { InstanceLog } from './instance-log';
import { HealthBadge } from '../../components/health-badge';
import { RelativeTime } from '../../components/relative-time';

const TH = 'px-2 py-1.5 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';
const TD = 'px-2 py-1.5 align-top';

/**
 * With `logs`, each instance (a real process or container) can show its log below the table; with
 * `operate` (a group a cloud runs), each can be rebooted or terminated.
 */
export function InstancesTable({ instances, logs = false, operate }: { instances: readonly Instance[]; logs?: boolean; operate?: ServerGroup | undefined }) {
  const [shown, setShown] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const permission = usePermission('EXECUTE', {
    application: operate?.application ?? '',
    account: operate?.account ?? '',
  });
  if (instances.length === 0) {
    return <p className="text-sm text-zinc-500 dark:text-zinc-400">This server group has no instances.</p>;
  }
  return (
    <div className="flex flex-col gap-3">
      <div className="overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-xs">
          <caption className="sr-only">Instances</caption>
          <thead className="bg-zinc-50 dark:bg-zinc-900/60">
            <tr>
              <th scope="col" className={TH}>
                Instance
              </th>
              <th scope="col" className={TH}>
                Health
              </th>
              <th scope="col" className={TH}>
                Address
              </th>
              <th scope="col" className={TH}>
                Zone
              </th>
              <th scope="col" className={TH}>
                Launched
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {instances.map((instance) => (
              <tr key={instance.id}>
                <th scope="row" className={`${TD} text-left font-mono font-medium whitespace-nowrap`}>
                  {instance.id}
                  <span className="flex flex-wrap gap-x-2">
                    {logs && (
                      <button
                        type="button"
                        aria-pressed={shown === instance.id}
                        aria-label={`Log of ${instance.id}`}
                        onClick={() => setShown(shown === instance.id ? undefined : instance.id)}
                        className="font-sans text-[11px] font-normal text-orange-700 hover:underline focus-visible:outline-2 focus-visible:outline-orange-500 dark:text-orange-400"
                      >
                        {shown === instance.id ? 'Hide log' : 'Log'}
                      </button>
                    )}
                    {operate && (
                      <InstanceActions
                        application={operate.application}
                        sg={operate}
                        instance={instance}
                        refusal={permission.allowed ? undefined : permission.why}
                        onDone={setDone}
                      />
                    )}
                  </span>
                </th>
                <td className={TD}>
                  <HealthBadge health={instance.health} />
                  {instance.healthDetail && <p className="mt-0.5 text-[11px] text-zinc-500 dark:text-zinc-400">{instance.healthDetail}</p>}
                </td>
                <td className={`${TD} font-mono whitespace-nowrap`}>{instance.address}</td>
                <td className={`${TD} whitespace-nowrap`}>{instance.zone}</td>
                <td className={`${TD} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
                  <RelativeTime iso={instance.launchedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {operate && !permission.allowed && <p className="text-xs text-zinc-600 dark:text-zinc-400">Reboot and Terminate: {permission.why}</p>}
      {done && (
        <p role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
          {done}
        </p>
      )}
      {shown && instances.some((i) => i.id === shown) && <InstanceLog instanceId={shown} />}
    </div>
  );
}
