import { queryOptions, useQuery } from '@tanstack/react-query';
import { can } from '../../shared/domain/permission-check';
import type { Me, Permission } from '../../shared/domain/user';
import { apiFetch, ApiRequestError } from './api-client';
import { takePageStartFetch } from './page-start';
import { queryKeys } from './query-keys';

// The endpoints (and zod, which checks their answers) load beside the first request, not with the first paint.
const authApi = () => import('../../shared/api/auth');

/** Who is signed in; `null` (not an error) when nobody is, so the gate can send them to sign in. */
export const meQuery = () =>
  queryOptions({
    queryKey: queryKeys.auth.me(),
    queryFn: async ({ signal }): Promise<Me | null> => {
      const { getMe } = await authApi();
      try {
        // The first ask takes index.html's page-start request: the sign-in check then runs beside
        // the dashboard's code, not after the route's chunks.
        return await apiFetch(getMe, {
          signal,
          early: takePageStartFetch('__kilnEarlyMe', getMe.path),
        });
      } catch (err) {
        if (err instanceof ApiRequestError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });

/** Whether this Kiln offers single sign-on; it does not change while Kiln runs. */
export const signInOptionsQuery = () =>
  queryOptions({
    queryKey: queryKeys.auth.signInOptions(),
    queryFn: async ({ signal }) => apiFetch((await authApi()).getSignInOptions, { signal }),
    staleTime: Infinity,
  });

export const apiTokensQuery = () =>
  queryOptions({
    queryKey: queryKeys.auth.tokens(),
    queryFn: async ({ signal }) => apiFetch((await authApi()).listApiTokens, { signal }),
  });

export function useMe(): Me | undefined {
  return useQuery(meQuery()).data ?? undefined;
}

/**
 * Whether the signed-in user may do something, and if not, why, in words for a disabled button's
 * title. The BFF enforces the same rule; this only saves people a click that would be refused.
 */
export function usePermission(permission: Permission, on: { application?: string; account?: string }): { allowed: boolean; why: string } {
  const me = useMe();
  const allowed = can(me, permission, on);
  const where = [on.application && `application ${on.application}`, on.account && `account ${on.account}`].filter(Boolean).join(' and ');
  return {
    allowed,
    why: allowed ? '' : `You need ${permission} permission on ${where || 'this'}; ask an admin for a role that grants it.`,
  };
}
