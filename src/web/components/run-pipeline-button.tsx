import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { usePermission } from '../lib/auth-queries';
import { pipelineQuery } from '../lib/pipeline-queries';
import { Button } from './button';
import type { RunnablePipeline } from './run-pipeline-dialog';

const RunPipelineDialog = lazy(() => import('./run-pipeline-dialog').then((m) => ({ default: m.RunPipelineDialog })));

interface RunPipelineButtonProps {
  pipelineId: string;
  application: string;
  /** The pipeline when the page has it (the list); else it is fetched on click (an execution's Re-run). */
  pipeline?: RunnablePipeline;
  label?: string;
  /** A re-run starts from the parameters the execution ran with. */
  initial?: Readonly<Record<string, string>>;
  /** Names the pipeline for screen readers where several Run buttons share a page. */
  ariaLabel?: string;
  size?: 'sm' | 'md';
}

/** Run (or re-run) a pipeline from anywhere: its parameters form, then the new execution's page. Needs EXECUTE. */
export function RunPipelineButton({ pipelineId, application, pipeline, label = 'Run…', initial, ariaLabel, size = 'sm' }: RunPipelineButtonProps) {
  const [open, setOpen] = useState(false);
  const execute = usePermission('EXECUTE', { application });
  const fetched = useQuery({ ...pipelineQuery(pipelineId), enabled: open && !pipeline });
  const runnable = pipeline ?? fetched.data;
  return (
    <>
      <Button size={size} onClick={() => setOpen(true)} disabled={!execute.allowed} title={execute.why || undefined} {...(ariaLabel ? { 'aria-label': ariaLabel } : {})}>
        {label}
      </Button>
      {open && runnable && (
        <Suspense fallback={null}>
          <RunPipelineDialog pipeline={runnable} {...(initial ? { initial } : {})} onClose={() => setOpen(false)} />
        </Suspense>
      )}
      {open && fetched.isError && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          Cannot load the pipeline: {fetched.error.message}
        </span>
      )}
    </>
  );
}
