import { useEffect, useRef, type ReactNode } from 'react';
import { useReturnFocus } from '../../../components/use-return-focus';

interface EditorDialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  actions?: ReactNode;
  wide?: boolean;
}

/** A modal <dialog>: focus moves in, Escape closes, the page behind is inert. */
export function EditorDialog({ title, onClose, children, actions, wide = false }: EditorDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  // Unmounted rather than close()d, the dialog would leave focus nowhere.
  useReturnFocus(ref);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    }
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className={`m-auto flex max-h-[85vh] flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 ${
        wide ? 'w-[min(1200px,95vw)]' : 'w-[min(560px,95vw)]'
      }`}
    >
      <h2 className="text-base font-semibold">{title}</h2>
      <div className="flex min-h-0 flex-col gap-3 overflow-auto">{children}</div>
      {actions && <div className="flex flex-wrap justify-end gap-2">{actions}</div>}
    </dialog>
  );
}
