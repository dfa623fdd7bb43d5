import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { deleteCiServer, updateCiServer } from '../../../shared/api/ci-servers';
import type { CiServer } from '../../../shared/domain/ci-server';
import { Button } from '../../components/button';
import { FormError, inputClasses } from '../../components/auth-card';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

/** One CI server: its token shown only as who set it and when, replaceable, never readable. */
export function CiServerRow({ server }: { server: CiServer }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState<string | undefined>(undefined);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.ciServers.all });
  const replace = useMutation({
    mutationFn: (value: string) => apiFetch(updateCiServer, { params: { server: server.name }, body: { token: value } }),
    onSuccess: async () => {
      setToken(undefined);
      await refresh();
    },
  });
  const remove = useMutation({ mutationFn: () => apiFetch(deleteCiServer, { params: { server: server.name } }), onSuccess: refresh });
  return (
    <tr data-testid={`ci-server-${server.name}`} className="align-top">
      <td className="py-2 font-medium">{server.name}</td>
      <td className="font-mono text-xs">{server.url}</td>
      <td>{server.username}</td>
      <td>
        {token === undefined ? (
          <span className="flex items-center gap-2">
            {server.token ? `Set on ${server.token.setAt.slice(0, 10)} by ${server.token.setBy}` : 'none'}
            <Button onClick={() => setToken('')}>Replace</Button>
          </span>
        ) : (
          <form
            className="flex items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              replace.mutate(token);
            }}
          >
            <input
              aria-label={`New token for ${server.name}`}
              type="password"
              autoComplete="off"
              className={`${inputClasses} w-48`}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              required
            />
            <Button variant="primary" type="submit" disabled={replace.isPending}>
              Save token
            </Button>
            <Button onClick={() => setToken(undefined)}>Cancel</Button>
          </form>
        )}
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
