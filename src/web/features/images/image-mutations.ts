import { useMutation, useQueryClient } from '@tanstack/react-query';
import { assignImageChannel, deleteImageVersion, pushImageVersion, restoreImage, revokeImage } from '../../../shared/api/images';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

/** Revoke, restore, delete or push a version, or move a channel; either way every image view is refetched (revocation spreads across names). */
export function useImageMutations(name: string) {
  const client = useQueryClient();
  const onSettled = () => client.invalidateQueries({ queryKey: queryKeys.images.all });
  const revoke = useMutation({
    mutationFn: ({ version, reason, at }: { version: string; reason: string; at?: string }) =>
      apiFetch(revokeImage, { params: { name, version }, body: { reason, ...(at ? { at } : {}) } }),
    onSettled,
  });
  const assign = useMutation({
    mutationFn: ({ channel, version }: { channel: string; version: string }) => apiFetch(assignImageChannel, { params: { name, channel }, body: { version } }),
    onSettled,
  });
  const restore = useMutation({
    mutationFn: ({ version, reason }: { version: string; reason: string }) => apiFetch(restoreImage, { params: { name, version }, body: { reason } }),
    onSettled,
  });
  const remove = useMutation({
    mutationFn: ({ version }: { version: string }) => apiFetch(deleteImageVersion, { params: { name, version } }),
    onSettled,
  });
  const push = useMutation({
    mutationFn: ({ version, account }: { version: string; account: string }) => apiFetch(pushImageVersion, { params: { name, version }, body: { account } }),
    onSettled,
  });
  return { revoke, assign, restore, remove, push };
}
