import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { listTrafficGuards, setTrafficGuard } from '../../../shared/api/server-groups';
import type { ServerGroup } from '../../../shared/domain/server-group';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

/**
 * The traffic guard of the group's cluster: while on, the cluster's last enabled server group
 * cannot be disabled or destroyed (the server refuses and says why).
 */
export function TrafficGuardToggle({ application, sg }: { application: string; sg: ServerGroup }) {
  const client = useQueryClient();
  const guards = useQuery({
    queryKey: queryKeys.clusters.trafficGuards(application),
    queryFn: ({ signal }) => apiFetch(listTrafficGuards, { params: { application }, signal }),
  });
  const on = guards.data?.some((g) => g.account === sg.account && g.cluster === sg.cluster) ?? false;
  // The box follows the click at once (state set in the click itself, so it never flips back for a
  // frame); once the server has answered and the guards are read again, their state rules.
  const [wanted, setWanted] = useState<boolean | undefined>();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => apiFetch(setTrafficGuard, { params: { application, account: sg.account, cluster: sg.cluster }, body: { enabled } }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.clusters.trafficGuards(application) });
      setWanted(undefined);
    },
  });
  return (
    <div className="flex flex-col gap-1">
      <label className="flex items-center gap-2 text-xs text-zinc-700 dark:text-zinc-300">
        <input
          type="checkbox"
          checked={wanted ?? on}
          disabled={guards.isPending || toggle.isPending}
          onChange={(e) => {
            setWanted(e.target.checked);
            toggle.mutate(e.target.checked);
          }}
          className="accent-orange-600"
        />
        Traffic guard: protect cluster <span className="font-mono">{sg.cluster}</span> in {sg.account}
      </label>
      {toggle.error && (
        <p role="alert" className="text-xs text-red-700 dark:text-red-400">
          {toggle.error.message}
        </p>
      )}
    </div>
  );
}
