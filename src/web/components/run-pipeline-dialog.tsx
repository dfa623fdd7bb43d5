import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { startExecution } from '../../shared/api/executions';
import type { PipelineParameter } from '../../shared/domain/pipeline';
import { apiFetch } from '../lib/api-client';
import { paths } from '../lib/paths';
import { inputClasses } from '../stages/field-input';
import { Button } from './button';

export interface RunnablePipeline {
  id: string;
  name: string;
  revision: number;
  parameters: readonly PipelineParameter[];
}

interface RunPipelineDialogProps {
  pipeline: RunnablePipeline;
  /** Values to start from (a re-run's); each parameter's default otherwise. */
  initial?: Readonly<Record<string, string>>;
  /** Said above the form (the editor: unsaved changes are not part of the run). */
  note?: ReactNode;
  onClose: () => void;
}

/**
 * The pipeline's parameters, then a run of its saved revision; on start, the execution page opens.
 * The same form from the pipelines list, the editor and an execution's Re-run.
 */
export function RunPipelineDialog({ pipeline, initial = {}, note, onClose }: RunPipelineDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const navigate = useNavigate();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(pipeline.parameters.map((p) => [p.name, initial[p.name] ?? p.default ?? p.options?.[0] ?? ''])),
  );
  const run = useMutation({
    mutationFn: () => apiFetch(startExecution, { params: { pipelineId: pipeline.id }, body: { parameters: values } }),
    onSuccess: (execution) => void navigate(paths.execution(execution.application, execution.id)),
  });
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    }
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run.mutate();
  };
  return (
    <dialog
      ref={ref}
      aria-label={`Run ${pipeline.name}`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className="m-auto flex max-h-[85vh] w-[min(560px,95vw)] flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <h2 className="text-base font-semibold">Run {pipeline.name}</h2>
      <form onSubmit={submit} className="flex flex-col gap-3 overflow-auto">
        {note}
        {pipeline.parameters.length === 0 && <p className="text-sm text-zinc-600 dark:text-zinc-400">This pipeline has no parameters.</p>}
        {pipeline.parameters.map((p) => (
          <label key={p.name} className="flex flex-col gap-0.5 text-xs font-medium">
            {p.label ?? p.name}
            {p.required && <span className="sr-only"> (required)</span>}
            {p.options ? (
              <select className={inputClasses()} value={values[p.name] ?? ''} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })}>
                {p.options.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            ) : (
              <input className={inputClasses()} required={p.required} value={values[p.name] ?? ''} onChange={(e) => setValues({ ...values, [p.name]: e.target.value })} />
            )}
            {p.description && <span className="font-normal text-zinc-600 dark:text-zinc-400">{p.description}</span>}
          </label>
        ))}
        {run.error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {run.error.message}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={run.isPending}>
            {run.isPending ? 'Starting…' : `Run revision ${pipeline.revision}`}
          </Button>
        </div>
      </form>
    </dialog>
  );
}
