import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { QueryErrorState } from '../../components/query-error-state';
import { paths } from '../../lib/paths';
import { meQuery } from '../../lib/auth-queries';

/** Everything inside needs a signed-in user; others go to the sign-in page and come back after. */
export function RequireSignIn({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const me = useQuery(meQuery());
  const location = useLocation();
  if (me.isPending) return fallback;
  if (me.isError) return <QueryErrorState error={me.error} onRetry={() => void me.refetch()} retrying={me.isFetching} />;
  if (me.data === null) return <Navigate to={paths.signIn(`${location.pathname}${location.search}${location.hash}`)} replace />;
  return children;
}
