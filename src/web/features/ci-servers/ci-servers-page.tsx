import { queryOptions, useQuery } from '@tanstack/react-query';
import { createCiServer, listCiServers } from '../../../shared/api/ci-servers';
import { AdminTable } from '../../components/admin-table';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { PageHeader } from '../../components/page-header';
import { SecretInput } from '../../components/secret-input';
import { QueryErrorState } from '../../components/query-error-state';
import { FormError, inputClasses } from '../../components/auth-card';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { useAddForm } from '../../lib/use-add-form';
import { CiServerRow } from './ci-server-row';

export const ciServersQuery = () => queryOptions({ queryKey: queryKeys.ciServers.all, queryFn: ({ signal }) => apiFetch(listCiServers, { signal }) });

// The last column holds each server's buttons.
const HEADERS = ['Name', 'URL', 'User', 'Token', ''];

const EMPTY = { name: '', url: '', username: '', token: '' };

/** CI servers (admins): the Jenkins servers Jenkins stages start builds on; tokens are write-only. */
export function CiServersPage() {
  const servers = useQuery(ciServersQuery());
  const { draft, set, submit, create } = useAddForm(EMPTY, (body) => apiFetch(createCiServer, { body }), queryKeys.ciServers.all);
  return (
    <>
      <title>CI servers · Kiln</title>
      <PageHeader
        title="CI servers"
        description="Jenkins servers that Jenkins build stages start jobs on, by name. The API token is write-only: it is used for Jenkins calls and shown only as who set it and when."
      />
      <section aria-labelledby="ci-servers-h" className="flex flex-col gap-3">
        <h2 id="ci-servers-h" className="sr-only">
          CI servers
        </h2>
        {servers.isError ? (
          <QueryErrorState error={servers.error} onRetry={() => void servers.refetch()} retrying={servers.isFetching} />
        ) : servers.data?.length === 0 ? (
          <EmptyState title="No CI servers yet">Add a Jenkins server with a user and an API token (Jenkins: your user → Security → API Token).</EmptyState>
        ) : (
          <AdminTable headers={HEADERS} className="[&_td]:pr-3 [&_th]:pr-3">
            {servers.data?.map((s) => (
              <CiServerRow key={s.name} server={s} />
            ))}
          </AdminTable>
        )}
        <form onSubmit={submit} aria-label="Add a CI server" className="flex flex-col gap-2 rounded-lg border border-dashed border-zinc-300 p-3 dark:border-zinc-700">
          <div className="flex flex-wrap items-end gap-2">
            <input aria-label="CI server name" placeholder="name" className={`${inputClasses} w-32`} value={draft.name} onChange={set('name')} required />
            <input aria-label="Jenkins URL" placeholder="https://ci.example.com" className={`${inputClasses} w-72`} value={draft.url} onChange={set('url')} required />
            <input aria-label="User" placeholder="user" className={`${inputClasses} w-32`} value={draft.username} onChange={set('username')} required />
            <SecretInput label="API token" placeholder="API token (write-only)" className="w-56" value={draft.token} onChange={set('token')} required />
          </div>
          <div>
            <Button variant="primary" type="submit" disabled={create.isPending}>
              Add CI server
            </Button>
          </div>
          <FormError message={create.error?.message} />
        </form>
      </section>
    </>
  );
}
