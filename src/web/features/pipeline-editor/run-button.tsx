import { lazy, Suspense, useState } from 'react';
import type { Pipeline } from '../../../shared/domain/pipeline';
import { Button } from '../../components/button';

const RunDialog = lazy(() => import('./run-dialog').then((m) => ({ default: m.RunDialog })));

/** Starts the saved revision with parameters, then opens the execution. */
export function RunButton({ pipeline }: { pipeline: Pipeline }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)}>
        Run…
      </Button>
      {open && (
        <Suspense fallback={null}>
          <RunDialog pipelineId={pipeline.id} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
