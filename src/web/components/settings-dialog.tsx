import { useId, useState, type ReactNode } from 'react';
import { Button } from './button';
import { ConfirmDialog } from './confirm-dialog';

/** What the dialog needs of a mutation (TanStack Query's useMutation result fits). */
interface Action {
  mutate: () => void;
  reset: () => void;
  isPending: boolean;
  error: Error | null;
}

/**
 * The settings of a named thing (a project, an application): its fields, Save, and for those who may,
 * "Delete …" behind a confirmation where its name must be typed. The server says what is in the way
 * of a delete; the message shows in the confirmation.
 */
export function SettingsDialog({
  title,
  noun,
  name,
  save,
  remove,
  removeNote,
  onClose,
  children,
}: {
  title: string;
  noun: string;
  name: string;
  save: Action;
  /** Absent for those who may not delete. */
  remove?: Action | undefined;
  removeNote: ReactNode;
  onClose: () => void;
  children: ReactNode;
}) {
  const titleId = useId();
  const [deleting, setDeleting] = useState(false);
  if (deleting && remove) {
    return (
      <ConfirmDialog
        title={`Delete ${noun} ${name}?`}
        confirmLabel={`Delete ${name}`}
        typeToConfirm={name}
        busy={remove.isPending}
        error={remove.error?.message}
        onClose={onClose}
        onConfirm={() => remove.mutate()}
      >
        {removeNote}
      </ConfirmDialog>
    );
  }
  return (
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-zinc-900/40 p-4" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="flex w-full max-w-md flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        {children}
        {save.error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {save.error.message}
          </p>
        )}
        <div className="flex flex-wrap justify-between gap-2">
          {remove ? (
            <Button
              variant="ghost"
              className="text-red-700! dark:text-red-400!"
              onClick={() => {
                remove.reset();
                setDeleting(true);
              }}
            >
              Delete {noun}…
            </Button>
          ) : (
            <span />
          )}
          <div className="flex gap-2">
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save'}
            </Button>
          </div>
        </div>
      </form>
    </div>
  );
}
