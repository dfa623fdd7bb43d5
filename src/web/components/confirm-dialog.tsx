import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ModalField, ModalForm } from './modal-form';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Ask for a reason; with `reasonRequired` the confirm button stays disabled until one is typed. */
  reasonLabel?: string;
  reasonRequired?: boolean;
  /** For the worst cases: the confirm button stays disabled until this exact text (a name) is typed. */
  typeToConfirm?: string;
  busy: boolean;
  error: string | undefined;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}

/** A modal question before something that cannot be undone; Escape or Cancel closes it. */
export function ConfirmDialog({ title, children, confirmLabel, reasonLabel, reasonRequired, typeToConfirm, busy, error, onConfirm, onClose }: ConfirmDialogProps) {
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const first = useRef<HTMLTextAreaElement & HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const blocked = busy || (reasonRequired === true && reason.trim() === '') || (typeToConfirm !== undefined && typed.trim() !== typeToConfirm);
  return (
    <ModalForm title={title} error={error} onClose={onClose} submit={{ label: confirmLabel, busy, disabled: blocked, onSubmit: () => onConfirm(reason.trim()) }}>
      <div className="text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
      {reasonLabel && (
        <ModalField label={`${reasonLabel}${reasonRequired ? ' (required)' : ''}`}>
          {(id) => (
            <textarea
              id={id}
              ref={first}
              value={reason}
              maxLength={2000}
              rows={3}
              onChange={(e) => setReason(e.target.value)}
              className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
            />
          )}
        </ModalField>
      )}
      {typeToConfirm !== undefined && (
        <ModalField
          label={
            <>
              Type <span className="font-mono">{typeToConfirm}</span> to confirm
            </>
          }
        >
          {(id) => (
            <input
              id={id}
              value={typed}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setTyped(e.target.value)}
              className="h-8 rounded-md border border-zinc-300 bg-white px-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-950"
            />
          )}
        </ModalField>
      )}
    </ModalForm>
  );
}
