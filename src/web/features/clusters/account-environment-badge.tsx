import { useQuery } from '@tanstack/react-query';
import { EnvironmentBadge } from '../../components/environment-badge';
import { accountsQuery } from './cluster-queries';

/** The environment label (prod, staging…) of the account a thing runs in, so prod is never mistaken for test. */
export function AccountEnvironmentBadge({ account }: { account: string }) {
  const accounts = useQuery(accountsQuery());
  const found = accounts.data?.find((a) => a.name === account);
  return found ? <EnvironmentBadge environment={found.environment} /> : null;
}
