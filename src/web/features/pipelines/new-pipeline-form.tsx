import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { createPipeline } from '../../../shared/api/pipelines';
import { Button } from '../../components/button';
import { apiFetch, ApiRequestError } from '../../lib/api-client';
import { paths } from '../../lib/paths';
import { queryKeys } from '../../lib/query-keys';

/** Names a new, empty pipeline, creates it (revision 1) and opens it in the editor. */
export function NewPipelineForm({ application, onCancel }: { application: string; onCancel: () => void }) {
  const [name, setName] = useState('');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (pipelineName: string) => apiFetch(createPipeline, { params: { application }, body: { application, name: pipelineName, stages: [] } }),
    onSuccess: (pipeline) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.pipelines.list(application) });
      void navigate(paths.pipelineEditor(application, pipeline.id));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(name.trim());
  };
  const error = create.error instanceof ApiRequestError ? create.error.message : create.error ? String(create.error) : undefined;
  return (
    <form
      onSubmit={submit}
      aria-label="New pipeline"
      className="flex flex-wrap items-end gap-2 rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <label className="flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
        Pipeline name
        <input
          autoFocus
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          className="w-72 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm font-normal dark:border-zinc-700 dark:bg-zinc-950"
        />
      </label>
      <Button type="submit" variant="primary" disabled={create.isPending || name.trim() === ''}>
        {create.isPending ? 'Creating…' : 'Create and edit'}
      </Button>
      <Button variant="ghost" onClick={onCancel}>
        Cancel
      </Button>
      {error && (
        <p role="alert" className="basis-full text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </form>
  );
}
