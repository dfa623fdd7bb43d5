import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { deleteApplication, updateApplication } from '../../../shared/api/applications';
import type { ApplicationSummary } from '../../../shared/domain/application';
import { Button } from '../../components/button';
import { SettingsDialog } from '../../components/settings-dialog';
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
  const ids = { description: useId(), owner: useId() };
  const client = useQueryClient();
  const navigate = useNavigate();
  const me = useMe();
  const write = usePermission('WRITE', { application: application.name });
  const [open, setOpen] = useState(false);
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
        <SettingsDialog
          title={`Settings of ${application.name}`}
          noun="application"
          name={application.name}
          save={save}
          remove={me?.user.admin ? remove : undefined}
          removeNote={
            <p>Its settings and traffic guards go with it. Kiln refuses while it still has pipelines, server groups, load balancers or past executions, and says which.</p>
          }
          onClose={() => setOpen(false)}
        >
          <label htmlFor={ids.description} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Description
          </label>
          <textarea id={ids.description} rows={3} maxLength={2000} value={description} onChange={(e) => setDescription(e.target.value)} className={`${INPUT} h-auto py-1`} />
          <label htmlFor={ids.owner} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Owner e-mail
          </label>
          <input id={ids.owner} type="email" value={ownerEmail} onChange={(e) => setOwnerEmail(e.target.value)} className={INPUT} />
        </SettingsDialog>
      )}
    </>
  );
}
