import { useQuery } from '@tanstack/react-query';
import { EnvironmentBadge } from './environment-badge';
import { accountsQuery } from '../lib/accounts-query';

/** The environment label (prod, staging…) of the account a thing runs in, so prod is never mistaken for test. */
export function AccountEnvironmentBadge({ account }: { account: string }) {
  const accounts = useQuery(accountsQuery());
  const found = accounts.data?.find((a) => a.name === account);
  return found ? <EnvironmentBadge environment={found.environment} /> : null;
}
