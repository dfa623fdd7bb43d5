import { useEffect, useId, useRef, useState } from 'react';
import { ModalActions, ModalForm } from '../../components/modal-form';

interface RevokeDialogProps {
  target: string;
  busy: boolean;
  error: string | undefined;
  onConfirm: (revocation: { reason: string; at?: string }) => void;
  onClose: () => void;
}

/** Revoke now or at a chosen time; a reason is required either way. Escape or Cancel closes it. */
export function RevokeDialog({ target, busy, error, onConfirm, onClose }: RevokeDialogProps) {
  const ids = { reason: useId(), when: useId(), at: useId() };
  const [reason, setReason] = useState('');
  const [scheduled, setScheduled] = useState(false);
  const [at, setAt] = useState('');
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);
  const when = scheduled && at ? new Date(at) : undefined;
  const blocked = busy || reason.trim() === '' || (scheduled && (!when || Number.isNaN(when.getTime())));
  return (
    <ModalForm
      title={`Revoke ${target}?`}
      error={error}
      onClose={onClose}
      onSubmit={() => {
        if (!blocked) onConfirm({ reason: reason.trim(), ...(when ? { at: when.toISOString() } : {}) });
      }}
      actions={<ModalActions label={scheduled ? 'Schedule revocation' : 'Revoke'} busy={busy} disabled={blocked} onClose={onClose} />}
    >
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        New deploys of it are refused unless someone gives an override reason, and images built on it are revoked too. Running server groups keep running.
      </p>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.reason} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
          Reason (required)
        </label>
        <textarea
          id={ids.reason}
          ref={first}
          rows={3}
          maxLength={1000}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
        />
      </div>
      <fieldset className="flex flex-col gap-1 text-sm">
        <legend className="text-xs font-medium text-zinc-700 dark:text-zinc-300">When</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name={ids.when} checked={!scheduled} onChange={() => setScheduled(false)} /> Now
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name={ids.when} checked={scheduled} onChange={() => setScheduled(true)} /> At a later time
        </label>
        {scheduled && (
          <input
            aria-label="Revoke at"
            type="datetime-local"
            value={at}
            onChange={(e) => setAt(e.target.value)}
            className="h-8 w-56 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-950"
          />
        )}
      </fieldset>
    </ModalForm>
  );
}
