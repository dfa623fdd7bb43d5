import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deleteCiServer, updateCiServer } from '../../../shared/api/ci-servers';
import type { CiServer } from '../../../shared/domain/ci-server';
import { Button } from '../../components/button';
import { FormError } from '../../components/auth-card';
import { WriteOnlySecret } from '../../components/write-only-secret';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

/** One CI server: its token shown only as who set it and when, replaceable, never readable. */
export function CiServerRow({ server }: { server: CiServer }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.ciServers.all });
  const replace = useMutation({
    mutationFn: (value: string) => apiFetch(updateCiServer, { params: { server: server.name }, body: { token: value } }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => apiFetch(deleteCiServer, { params: { server: server.name } }), onSuccess: refresh });
  return (
    <tr data-testid={`ci-server-${server.name}`} className="align-top">
      <td className="py-2 font-medium">{server.name}</td>
      <td className="font-mono text-xs">{server.url}</td>
      <td>{server.username}</td>
      <td>
        <WriteOnlySecret label={`New token for ${server.name}`} stored={server.token} save={(token) => replace.mutateAsync(token)} saving={replace.isPending} />
        <FormError message={replace.error?.message} />
      </td>
      <td>
        <Button onClick={() => remove.mutate()} disabled={remove.isPending}>
          Remove
        </Button>
        <FormError message={remove.error?.message} />
      </td>
    </tr>
  );
}
