import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ModalField, ModalForm } from '../../components/modal-form';

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
  const [name, setName] = useState(initialName);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);
  const field = 'h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-950 max-md:h-11';
  return (
    <ModalForm
      title={title}
      error={error}
      onClose={onClose}
      submit={{ label: submitLabel, busy, disabled: !namePlaceholder && name.trim() === '', onSubmit: () => onSubmit(name.trim()) }}
    >
      {applications && (
        <ModalField label="Application">
          {(id) => (
            <select id={id} value={applications.value} onChange={(e) => applications.onChange(e.target.value)} className={field}>
              {applications.options.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          )}
        </ModalField>
      )}
      <ModalField label="Name">
        {(id) => <input ref={input} id={id} value={name} maxLength={200} placeholder={namePlaceholder} onChange={(e) => setName(e.target.value)} className={field} />}
      </ModalField>
      {children && <div className="text-sm text-zinc-600 dark:text-zinc-400">{children}</div>}
    </ModalForm>
  );
}
