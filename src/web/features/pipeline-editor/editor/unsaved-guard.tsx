import { useEffect } from 'react';
import { useBlocker } from 'react-router';
import { Button } from '../../../components/button';
import { EditorDialog } from './editor-dialog';

/** Leaving with unsaved changes asks first: in-app navigation with a dialog, closing the tab with the browser's prompt. */
export function UnsavedGuard({ dirty }: { dirty: boolean }) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
  if (blocker.state !== 'blocked') return null;
  return (
    <EditorDialog title="Leave with unsaved changes?" onClose={() => blocker.reset()}>
      <p className="text-sm">This pipeline has changes that are not saved. Leaving drops them.</p>
      <div className="flex justify-end gap-2">
        <Button variant="primary" onClick={() => blocker.reset()}>
          Stay and keep editing
        </Button>
        <Button onClick={() => blocker.proceed()}>Leave without saving</Button>
      </div>
    </EditorDialog>
  );
}
