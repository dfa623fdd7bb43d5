import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { deleteProject, updateProject } from '../../../shared/api/projects';
import type { Project } from '../../../shared/domain/project';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { apiFetch } from '../../lib/api-client';
import { useMe } from '../../lib/auth-queries';
import { paths } from '../../lib/paths';
import { queryKeys } from '../../lib/query-keys';

const INPUT = 'h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-950';

/** Admins rename a project, change its description and owner, or delete it once it has no applications. */
export function ProjectSettings({ project }: { project: Project }) {
  const id = useId();
  const client = useQueryClient();
  const navigate = useNavigate();
  const me = useMe();
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [values, setValues] = useState({ displayName: project.displayName, description: project.description, ownerEmail: project.ownerEmail });
  const refresh = () => client.invalidateQueries({ queryKey: queryKeys.projects.all });
  const save = useMutation({
    mutationFn: () => apiFetch(updateProject, { params: { project: project.name }, body: values }),
    onSuccess: async () => {
      await refresh();
      setOpen(false);
    },
  });
  const remove = useMutation({
    mutationFn: () => apiFetch(deleteProject, { params: { project: project.name } }),
    onSuccess: async () => {
      await navigate(paths.projects(), { replace: true });
      await refresh();
    },
  });
  if (!me?.user.admin) return null;
  const field = (key: keyof typeof values, label: string, type = 'text') => (
    <>
      <label htmlFor={`${id}-${key}`} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
        {label}
      </label>
      <input id={`${id}-${key}`} type={type} value={values[key]} onChange={(e) => setValues({ ...values, [key]: e.target.value })} className={INPUT} />
    </>
  );
  return (
    <>
      <Button
        size="sm"
        onClick={() => {
          save.reset();
          setOpen(true);
        }}
      >
        Project settings
      </Button>
      {open && (
        <div className="fixed inset-0 z-40 flex items-center justify-center bg-zinc-900/40 p-4" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          <form
            role="dialog"
            aria-modal="true"
            aria-labelledby={`${id}-title`}
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate();
            }}
            className="flex w-full max-w-md flex-col gap-2 rounded-lg border border-zinc-200 bg-white p-4 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
          >
            <h2 id={`${id}-title`} className="text-base font-semibold">
              Settings of project {project.name}
            </h2>
            {field('displayName', 'Display name')}
            {field('description', 'Description')}
            {field('ownerEmail', 'Owner e-mail', 'email')}
            {save.error && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                {save.error.message}
              </p>
            )}
            <div className="mt-1 flex flex-wrap justify-between gap-2">
              <Button
                variant="ghost"
                className="text-red-700! dark:text-red-400!"
                onClick={() => {
                  remove.reset();
                  setOpen(false);
                  setDeleting(true);
                }}
              >
                Delete project…
              </Button>
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
          title={`Delete project ${project.name}?`}
          confirmLabel={`Delete ${project.name}`}
          typeToConfirm={project.name}
          busy={remove.isPending}
          error={remove.error?.message}
          onClose={() => setDeleting(false)}
          onConfirm={() => remove.mutate()}
        >
          <p>Only an empty project can be deleted: Kiln names the applications still in it.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
