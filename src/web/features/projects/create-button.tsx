import { lazy, Suspense, useRef, useState } from 'react';
import { Button } from '../../components/button';
import { useMe } from '../../lib/auth-queries';

// Lazy: the projects page is the first route, and creating is rare next to looking.
const CreateDialog = lazy(() => import('./create-dialog').then((m) => ({ default: m.CreateDialog })));

/** "New project" / "New application": admins only, as the BFF requires. */
export function CreateButton({ what }: { what: { kind: 'project' } | { kind: 'application'; project: string } }) {
  const me = useMe();
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLElement | null>(null);
  if (!me?.user.admin) return null;
  return (
    <>
      <Button
        size="sm"
        variant="primary"
        onClick={(e) => {
          opener.current = e.currentTarget;
          setOpen(true);
        }}
      >
        {what.kind === 'project' ? 'New project' : 'New application'}
      </Button>
      {open && (
        <Suspense fallback={null}>
          <CreateDialog
            what={what}
            onClose={() => {
              setOpen(false);
              opener.current?.focus();
            }}
          />
        </Suspense>
      )}
    </>
  );
}
