import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { createApplication } from '../../../shared/api/applications';
import { createProject } from '../../../shared/api/projects';
import { ModalActions, ModalForm } from '../../components/modal-form';
import { apiFetch, ApiRequestError } from '../../lib/api-client';
import { paths } from '../../lib/paths';
import { queryKeys } from '../../lib/query-keys';

type Kind = { kind: 'project' } | { kind: 'application'; project: string };
const INPUT = 'h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-950';

/** A new project or application: the server checks the names and says which field is wrong. Loaded lazily. */
export function CreateDialog({ what, onClose }: { what: Kind; onClose: () => void }) {
  const id = useId();
  const client = useQueryClient();
  const navigate = useNavigate();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const [values, setValues] = useState({ name: '', displayName: '', ownerEmail: '', description: '' });
  const set = (key: keyof typeof values) => (e: { target: { value: string } }) => setValues({ ...values, [key]: e.target.value });
  const create = useMutation({
    mutationFn: async () => {
      if (what.kind === 'project') return paths.project((await apiFetch(createProject, { body: values })).name);
      const { displayName: _d, ...rest } = values;
      return paths.application((await apiFetch(createApplication, { body: { ...rest, project: what.project } })).name);
    },
    onSuccess: async (to) => {
      await Promise.all([client.invalidateQueries({ queryKey: queryKeys.projects.all }), client.invalidateQueries({ queryKey: queryKeys.applications.all })]);
      onClose();
      await navigate(to);
    },
  });
  const field = create.error instanceof ApiRequestError ? create.error.field : undefined;
  const input = (key: keyof typeof values, label: string, type = 'text', hint?: string) => (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-${key}`} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
        {label}
      </label>
      <input
        id={`${id}-${key}`}
        ref={key === 'name' ? first : undefined}
        type={type}
        value={values[key]}
        onChange={set(key)}
        aria-invalid={field === key || undefined}
        aria-describedby={hint ? `${id}-${key}-hint` : undefined}
        className={`${INPUT} ${field === key ? 'border-red-600' : ''}`}
      />
      {hint && (
        <p id={`${id}-${key}-hint`} className="text-xs text-zinc-600 dark:text-zinc-400">
          {hint}
        </p>
      )}
    </div>
  );
  const noun = what.kind === 'project' ? 'project' : 'application';
  return (
    <ModalForm
      title={what.kind === 'project' ? 'New project' : `New application in ${what.project}`}
      error={create.error?.message}
      onClose={onClose}
      onSubmit={() => create.mutate()}
      actions={<ModalActions label={`Create ${noun}`} busyLabel="Creating…" busy={create.isPending} onClose={onClose} />}
    >
      {input(
        'name',
        'Name',
        'text',
        what.kind === 'project' ? 'Lowercase letters, digits, . _ -; it is in every URL.' : "Lowercase letters and digits, no '-': server-group names are built from it.",
      )}
      {what.kind === 'project' && input('displayName', 'Display name')}
      {input('ownerEmail', 'Owner e-mail', 'email')}
      {input('description', 'Description')}
    </ModalForm>
  );
}
