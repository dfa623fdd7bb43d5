import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Button } from '../../components/button';
import { useReturnFocus } from '../../components/use-return-focus';

interface PipelineFormDialogProps {
  title: string;
  submitLabel: string;
  initialName: string;
  /** Shown under the name field when it is left empty (the server's default). */
  namePlaceholder?: string;
  /** Where the result goes, when the user may choose (duplicate). */
  applications?: { value: string; options: readonly string[]; onChange: (application: string) => void };
  busy: boolean;
  error: string | undefined;
  children?: ReactNode;
  onSubmit: (name: string) => void;
  onClose: () => void;
}

/** A small modal form for a pipeline's name (rename) or its copy's name and application (duplicate). */
export function PipelineFormDialog({ title, submitLabel, initialName, namePlaceholder, applications, busy, error, children, onSubmit, onClose }: PipelineFormDialogProps) {
  const titleId = useId();
  const nameId = useId();
  const appId = useId();
  const [name, setName] = useState(initialName);
  const input = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLDivElement>(null);
  useReturnFocus(box);
  useEffect(() => input.current?.select(), []);
  const field = 'h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-950 max-md:h-11';
  return (
    <div ref={box} className="fixed inset-0 z-40 flex items-center justify-center bg-zinc-900/40 p-4" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="flex w-full max-w-md flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) onSubmit(name.trim());
        }}
      >
        <h2 id={titleId} className="text-base font-semibold">
          {title}
        </h2>
        {applications && (
          <div className="flex flex-col gap-1">
            <label htmlFor={appId} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
              Application
            </label>
            <select id={appId} value={applications.value} onChange={(e) => applications.onChange(e.target.value)} className={field}>
              {applications.options.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="flex flex-col gap-1">
          <label htmlFor={nameId} className="text-xs font-medium text-zinc-700 dark:text-zinc-300">
            Name
          </label>
          <input ref={input} id={nameId} value={name} maxLength={200} placeholder={namePlaceholder} onChange={(e) => setName(e.target.value)} className={field} />
        </div>
        {children && <div className="text-sm text-zinc-600 dark:text-zinc-400">{children}</div>}
        {error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || (!namePlaceholder && name.trim() === '')}>
            {busy ? 'Working…' : submitLabel}
          </Button>
        </div>
      </form>
    </div>
  );
}
