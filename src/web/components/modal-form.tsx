import { useId, useRef, type FormEvent, type ReactNode } from 'react';
import { Button } from './button';
import { useReturnFocus } from './use-return-focus';

interface ModalFormProps {
  title: ReactNode;
  onClose: () => void;
  /** Called on Enter or the submit button (the browser's own submit is prevented). Absent: nothing to submit, the dialog is not a form. */
  onSubmit?: () => void;
  /** The server's refusal, announced to screen readers. */
  error?: string | undefined;
  /** The buttons at the bottom, when they are not the plain Cancel and submit of `submit`. */
  actions?: ReactNode;
  /** Cancel and one submit button; Enter or the button call `onSubmit` only while neither busy nor disabled. */
  submit?: { label: string; busy: boolean; disabled?: boolean; busyLabel?: string; onSubmit: () => void };
  children: ReactNode;
}

/**
 * The one modal shell of the dashboard: a dimmed page, a titled dialog that Escape closes, and focus
 * given back to what opened it. Every dialog looks and behaves alike because none draws its own.
 */
export function ModalForm({ title, onClose, onSubmit: submitted, error, actions, submit, children }: ModalFormProps) {
  const onSubmit =
    submitted ??
    (submit &&
      (() => {
        if (!submit.busy && submit.disabled !== true) submit.onSubmit();
      }));
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  useReturnFocus(box);
  const Tag = onSubmit ? 'form' : 'div';
  return (
    <div ref={box} className="fixed inset-0 z-40 flex items-center justify-center bg-zinc-900/40 p-4" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <Tag
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="flex w-full max-w-md flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        {...(onSubmit && {
          onSubmit: (e: FormEvent) => {
            e.preventDefault();
            onSubmit();
          },
        })}
      >
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        {children}
        {error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
        {actions ?? (submit && <ModalActions label={submit.label} busy={submit.busy} disabled={submit.disabled} busyLabel={submit.busyLabel} onClose={onClose} />)}
      </Tag>
    </div>
  );
}

/** Cancel and the submit button; while busy the submit button is disabled and says so. */
export function ModalActions({
  label,
  busy,
  disabled,
  busyLabel = 'Working…',
  onClose,
}: {
  label: string;
  busy: boolean;
  disabled?: boolean;
  busyLabel?: string;
  onClose: () => void;
}) {
  return (
    <div className="flex justify-end gap-2">
      <Button onClick={onClose}>Cancel</Button>
      <Button type="submit" variant="primary" disabled={busy || disabled === true}>
        {busy ? busyLabel : label}
      </Button>
    </div>
  );
}

/** A labelled field of a modal or page form; `children` gets the id the label points at; `hint` shows below. */
export function ModalField({ label, hint, children }: { label: ReactNode; hint?: string | undefined; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
        {label}
      </label>
      {children(id)}
      {hint && <p className="text-xs text-zinc-500 dark:text-zinc-400">{hint}</p>}
    </div>
  );
}
