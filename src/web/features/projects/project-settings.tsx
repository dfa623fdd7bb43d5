import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { deleteProject, updateProject } from '../../../shared/api/projects';
import type { Project } from '../../../shared/domain/project';
import { Button } from '../../components/button';
import { SettingsDialog } from '../../components/settings-dialog';
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
        <SettingsDialog
          title={`Settings of project ${project.name}`}
          noun="project"
          name={project.name}
          save={save}
          remove={remove}
          removeNote={<p>Only an empty project can be deleted: Kiln names the applications still in it.</p>}
          onClose={() => setOpen(false)}
        >
          {field('displayName', 'Display name')}
          {field('description', 'Description')}
          {field('ownerEmail', 'Owner e-mail', 'email')}
        </SettingsDialog>
      )}
    </>
  );
}
