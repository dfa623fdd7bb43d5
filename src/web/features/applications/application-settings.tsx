import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { deleteApplication, updateApplication } from '../../../shared/api/applications';
import type { ApplicationSummary } from '../../../shared/domain/application';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { apiFetch } from '../../lib/api-client';
import { useMe, usePermission } from '../../lib/auth-queries';
import { paths } from '../../lib/paths';
import { queryKeys } from '../../lib/query-keys';

const INPUT = 'h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-950';

/**
 * Edit an application's description and owner (its writers), or delete it (admins, by typing its
 * name): the server refuses a delete while pipelines or server groups remain and says which.
 */
export function ApplicationSettings({ application }: { application: ApplicationSummary }) {
  const ids = { title: useId(), description: useId(), owner: useId() };
  const client = useQueryClient();
  const navigate = useNavigate();
  const me = useMe();
  const write = usePermission('WRITE', { application: application.name });
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [description, setDescription] = useState(application.description);
  const [ownerEmail, setOwnerEmail] = useState(application.ownerEmail);
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: queryKeys.applications.all }), client.invalidateQueries({ queryKey: queryKeys.projects.all })]);
  const save = useMutation({
    mutationFn: () => apiFetch(updateApplication, { params: { application: application.name }, body: { description, ownerEmail } }),
    onSuccess: async () => {
      await refresh();
      setOpen(false);
    },
  });
  const remove = useMutation({
    mutationFn: () => apiFetch(deleteApplication, { params: { application: application.name } }),
    onSuccess: async () => {
      await navigate(paths.applications(), { replace: true });
      await refresh();
    },
  });
  if (!write.allowed) return null;

  return (
    <>
      <Button
        size="sm"
        onClick={() => {
          save.reset();
          setDescription(application.description);
          setOwnerEmail(application.ownerEmail);
          setOpen(true);
        }}
      >
        Settings
      </Button>
      {open && (
        <div className="fixed inset-0 z-40 flex items-center justify-center bg-zinc-900/40 p-4" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <form
            role="dialog"
            aria-modal="true"
            aria-labelledby={ids.title}
            className="flex w-full max-w-md flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate();
            }}
          >
            <h2 id={ids.title} className="text-base font-semibold">
              Settings of {application.name}
            </h2>
            <label htmlFor={ids.description} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
              Description
            </label>
            <textarea id={ids.description} rows={3} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} className={`${INPUT} h-auto py-1`} />
            <label htmlFor={ids.owner} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
              Owner e-mail
            </label>
            <input id={ids.owner} type="email" value={ownerEmail} onChange={(e) => setOwnerEmail(e.target.value)} className={INPUT} />
            {save.error && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                {save.error.message}
              </p>
            )}
            <div className="flex flex-wrap justify-between gap-2">
              {me?.user.admin ? (
                <Button
                  variant="ghost"
                  className="text-red-700! dark:text-red-400!"
                  onClick={() => {
                    remove.reset();
                    setOpen(false);
                    setDeleting(true);
                  }}
                >
                  Delete application…
                </Button>
              ) : (
                <span />
              )}
              <div className="flex gap-2">
                <Button onClick={() => setOpen(false)}>Cancel</Button>
                <Button type="submit" variant="primary" disabled={save.isPending}>
                  {save.isPending ? 'Saving…' : 'Save'}
                </Button>
              </div>
            </div>
          </form>
        </div>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete application ${application.name}?`}
          confirmLabel={`Delete ${application.name}`}
          typeToConfirm={application.name}
          busy={remove.isPending}
          error={remove.error?.message}
          onClose={() => setDeleting(false)}
          onConfirm={() => remove.mutate()}
        >
          <p>Its settings and traffic guards go with it. Kiln refuses while it still has pipelines, server groups, load balancers or past executions, and says which.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
