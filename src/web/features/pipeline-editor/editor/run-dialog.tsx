import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { startExecution } from '../../../../shared/api/executions';
import { Button } from '../../../components/button';
import { apiFetch } from '../../../lib/api-client';
import { paths } from '../../../lib/paths';
import { inputClasses } from '../../../stages/field-input';
import { useDraft } from './draft-context';
import { EditorDialog } from './editor-dialog';

/** Parameters for a run of the saved revision; on start, the execution page opens. */
export function RunDialog({ pipelineId, onClose }: { pipelineId: string; onClose: () => void }) {
  // The saved revision is what runs: parameters come from it, not from unsaved edits.
  const saved = useDraft((s) => s.saved);
  const revision = useDraft((s) => s.revision);
  const dirty = useDraft((s) => s.draft !== s.saved);
  const navigate = useNavigate();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(saved.parameters.map((p) => [p.name, p.default ?? p.options?.[0] ?? ''])),
  );
  const run = useMutation({
    mutationFn: () => apiFetch(startExecution, { params: { pipelineId }, body: { parameters: values } }),
    onSuccess: (execution) => void navigate(paths.execution(execution.application, execution.id)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <EditorDialog title={`Run ${saved.name}`} onClose={onClose}>
      <form onSubmit={submit} className="flex flex-col gap-3">
        {dirty && <p className="text-sm text-amber-700 dark:text-amber-400">Runs saved revision {revision}; your unsaved changes are not part of this run.</p>}
        {saved.parameters.length === 0 && <p className="text-sm text-zinc-600 dark:text-zinc-400">This pipeline has no parameters.</p>}
        {saved.parameters.map((p) => (
          <label key={p.name} className="flex flex-col gap-0.5 text-xs font-medium">
            {p.label ?? p.name}
            {p.required && <span className="sr-only"> (required)</span>}
            {p.options ? (
              <select className={inputClasses()} value={values[p.name] ?? ''} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}>
                {p.options.map((o) => <option key={o}>{o}</option>)}
              </select>
            ) : (
              <input className={inputClasses()} required={p.required} value={values[p.name] ?? ''} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })} />
            )}
            {p.description && <span className="font-normal text-zinc-500">{p.description}</span>}
          </label>
        ))}
        {run.error && <p role="alert" className="text-sm text-red-600 dark:text-red-400">{run.error.message}</p>}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={run.isPending}>
            {run.isPending ? 'Starting…' : `Run revision ${revision}`}
          </Button>
        </div>
      </form>
    </EditorDialog>
  );
}
