import { useMutation, useQueryClient } from '@tanstack/react-query';
import { rebootInstance, terminateInstance } from '../../../shared/api/instances';
import type { ServerGroup } from '../../../shared/domain/server-group';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

export type InstanceAction = 'reboot' | 'terminate';

/**
 * Reboot or terminate one instance of the group; the application's clusters are refetched either way.
 * `onDone` belongs to the hook, not to `mutate`: a terminated instance's row can leave the table
 * (a live refetch) before the answer arrives, and React Query drops `mutate`'s callbacks on unmount.
 */
export function useInstanceAction(application: string, sg: ServerGroup, onDone: (message: string) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ action, instanceId }: { action: InstanceAction; instanceId: string }): Promise<string> => {
      const params = { application, account: sg.account, region: sg.region, serverGroup: sg.name, instanceId };
      if (action === 'reboot') {
        await apiFetch(rebootInstance, { params, body: {} });
        return `Rebooting ${instanceId}: it is out of traffic until it is healthy again.`;
      }
      await apiFetch(terminateInstance, { params, body: {} });
      return `Terminated ${instanceId}; ${sg.name} starts a replacement.`;
    },
    onSuccess: (message) => onDone(message),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.clusters.forApplication(application) }),
        client.invalidateQueries({ queryKey: queryKeys.applications.detail(application) }),
      ]),
  });
}
