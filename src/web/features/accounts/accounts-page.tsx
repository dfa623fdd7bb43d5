import { useQuery } from '@tanstack/react-query';
import { AdminTable } from '../../components/admin-table';
import { EmptyState } from '../../components/empty-state';
import { PageHeader } from '../../components/page-header';
import { QueryErrorState } from '../../components/query-error-state';
import { accountsQuery } from '../../lib/accounts-query';
import { AccountRow } from './account-row';
import { AddAccountForm } from './add-account-form';

const HEADERS = ['Name', 'Provider', 'Environment', 'Regions', 'Endpoint', 'Credentials', 'Health', 'State'];

/** Accounts (admins): where server groups run, each with its provider, regions, environment and health. */
export function AccountsPage() {
  const accounts = useQuery(accountsQuery());
  return (
    <>
      <title>Accounts · Kiln</title>
      <PageHeader
        title="Accounts"
        description="Where server groups run. A local account is Kiln's own cloud on this machine; a docker account is a Docker or Podman engine. Credentials are write-only. Who may see and deploy to an account is set by roles (READ/WRITE/EXECUTE per account) under Users and roles."
      />
      <section aria-labelledby="accounts-h" className="flex flex-col gap-3">
        <h2 id="accounts-h" className="sr-only">
          Accounts
        </h2>
        {accounts.isError ? (
          <QueryErrorState error={accounts.error} onRetry={() => void accounts.refetch()} retrying={accounts.isFetching} />
        ) : accounts.data?.length === 0 ? (
          <EmptyState title="No accounts yet">
            Kiln deploys nowhere until it has an account. Add a <strong>local</strong> account (region <code className="font-mono text-xs">local</code>) to deploy to this machine,
            or a <strong>docker</strong> account pointing at a Docker or Podman socket.
          </EmptyState>
        ) : (
          <AdminTable headers={HEADERS} className="[&_td]:pr-3 [&_th]:pr-3" stacked>
            {accounts.data?.map((a) => (
              <AccountRow key={a.name} account={a} />
            ))}
          </AdminTable>
        )}
        <AddAccountForm />
      </section>
    </>
  );
}
