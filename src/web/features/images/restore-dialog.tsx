import { useEffect, useId, useRef, useState } from 'react';
import type { ImageVersion } from '../../../shared/domain/image';
import { Button } from '../../components/button';

interface RestoreDialogProps {
  target: string;
  revocation: ImageVersion['revocation'];
  busy: boolean;
  error: string | undefined;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}

/** Lift a revocation made in error; the reason is required and kept beside the lifted revocation. */
export function RestoreDialog({ target, revocation, busy, error, onConfirm, onClose }: RestoreDialogProps) {
  const ids = { title: useId(), reason: useId() };
  const [reason, setReason] = useState('');
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);
  const blocked = busy || reason.trim() === '';
  return (
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-zinc-900/40 p-4" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form
        role="dialog"
        aria-modal="true"
        aria-labelledby={ids.title}
        className="flex w-full max-w-md flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked) onConfirm(reason.trim());
        }}
      >
        <h2 id={ids.title} className="text-base font-semibold">
          Restore {target}?
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          It was revoked by {revocation?.by ?? 'someone'}: “{revocation?.reason ?? ''}”. Restoring lets it be deployed and put on channels again, and lifts the revocation of the
          images built on it. The revocation and your reason stay on record.
        </p>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.reason} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Why it is safe (required)
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
        {error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={blocked}>
            {busy ? 'Working…' : 'Restore'}
          </Button>
        </div>
      </form>
    </div>
  );
}
