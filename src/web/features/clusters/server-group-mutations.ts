import { useMutation, useQueryClient } from '@tanstack/react-query';
import { destroyServerGroup, disableServerGroup, enableServerGroup, resizeServerGroup, rollbackCluster } from '../../../shared/api/server-groups';
import type { ServerGroup } from '../../../shared/domain/server-group';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

export type ServerGroupAction = 'enable' | 'disable' | 'resize' | 'destroy' | 'rollback';

/** What to tell: a sentence, and for a rollback (which runs on in Kiln) the operation to follow. */
export interface ActionOutcome {
  message: string;
  operationId?: string;
}

/**
 * One mutation for every panel action; whatever it did, the application's clusters are refetched.
 * `onGone` runs when the group was destroyed, before the refetch finds it missing.
 */
export function useServerGroupAction(application: string, sg: ServerGroup, onGone?: () => void) {
  const client = useQueryClient();
  const params = { application, account: sg.account, region: sg.region, serverGroup: sg.name };
  return useMutation({
    mutationFn: async ({ action, desired, confirm }: { action: ServerGroupAction; desired?: number; confirm?: string }): Promise<ActionOutcome> => {
      switch (action) {
        case 'enable':
          await apiFetch(enableServerGroup, { params, body: {} });
          return { message: `Enabled ${sg.name}: it takes traffic from its load balancers.` };
        case 'disable':
          await apiFetch(disableServerGroup, { params, body: {} });
          return { message: `Disabled ${sg.name}: its load balancers no longer send it traffic.` };
        case 'resize':
          await apiFetch(resizeServerGroup, { params, body: { capacity: { desired: desired ?? sg.capacity.desired } } });
          return { message: `Resizing ${sg.name} to ${desired} instances.` };
        case 'destroy':
          await apiFetch(destroyServerGroup, { params, query: { confirm } });
          return { message: `Destroyed ${sg.name}.` };
        case 'rollback': {
          // Accepted at once; the rollback runs on in Kiln, and the panel follows it.
          const { operation } = await apiFetch(rollbackCluster, { params: { application, account: sg.account, region: sg.region, cluster: sg.cluster }, body: {} });
          return { message: `Rollback of ${sg.cluster} requested.`, operationId: operation.id };
        }
      }
    },
    // Hook-level, not per-call: a per-call callback is dropped when the panel unmounts first.
    onSuccess: (_message, { action }) => {
      if (action === 'destroy') onGone?.();
    },
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.clusters.forApplication(application) }),
        // The application header counts groups and instances.
        client.invalidateQueries({ queryKey: queryKeys.applications.detail(application) }),
      ]),
  });
}
