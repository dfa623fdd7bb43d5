import { lazy, Suspense, useState } from 'react';
import type { Pipeline } from '../../../../shared/domain/pipeline';
import { Button } from '../../../components/button';
import { usePermission } from '../../../lib/auth-queries';

const RunDialog = lazy(() => import('./run-dialog').then((m) => ({ default: m.RunDialog })));

/** Starts the saved revision with parameters, then opens the execution. */
export function RunButton({ pipeline }: { pipeline: Pipeline }) {
  const [open, setOpen] = useState(false);
  const execute = usePermission('EXECUTE', { application: pipeline.application });
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)} disabled={!execute.allowed} title={execute.why || undefined}>
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
