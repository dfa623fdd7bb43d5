import { useState, type ReactNode } from 'react';
import { Button } from './button';
import { ConfirmDialog } from './confirm-dialog';
import { ModalActions, ModalForm } from './modal-form';

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
    <ModalForm
      title={title}
      error={save.error?.message}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      actions={
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
          <ModalActions label="Save" busyLabel="Saving…" busy={save.isPending} onClose={onClose} />
        </div>
      }
    >
      {children}
    </ModalForm>
  );
}
