import { useId, type KeyboardEvent, type ReactNode } from 'react';

interface CollapsiblePanelProps {
  /** What the panel holds, for its buttons: "stage palette", "settings". */
  label: string;
  open: boolean;
  onOpen: (open: boolean) => void;
  /** The side of the canvas it is on: its fold button points that way. */
  side: 'left' | 'right';
  className: string;
  children: ReactNode;
  panelProps?: Record<string, string>;
  /** Keys pressed inside the open panel (Escape back to what opened it). */
  onKeyDown?: (e: KeyboardEvent<HTMLElement>) => void;
}

/** A side panel that folds into a narrow strip, giving its width to the canvas. */
export function CollapsiblePanel({ label, open, onOpen, side, className, children, panelProps, onKeyDown }: CollapsiblePanelProps) {
  const id = useId();
  if (!open) {
    return (
      <div className="flex w-9 shrink-0 flex-col items-center rounded-lg border border-zinc-200 bg-zinc-50 py-2 dark:border-zinc-800 dark:bg-zinc-900/50">
        <button
          type="button"
          aria-expanded={false}
          aria-controls={id}
          aria-label={`Show ${label}`}
          title={`Show ${label}`}
          onClick={() => onOpen(true)}
          className="flex h-8 w-8 items-center justify-center rounded text-zinc-600 hover:bg-zinc-200 focus-visible:outline-2 focus-visible:outline-orange-500 dark:text-zinc-300 dark:hover:bg-zinc-800"
        >
          <span aria-hidden>{side === 'left' ? '»' : '«'}</span>
        </button>
        <span aria-hidden className="mt-2 text-xs text-zinc-500 [writing-mode:vertical-rl] dark:text-zinc-400">
          {label[0]!.toUpperCase() + label.slice(1)}
        </span>
      </div>
    );
  }
  const title = label[0]!.toUpperCase() + label.slice(1);
  return (
    <aside id={id} aria-label={title} className={className} onKeyDown={onKeyDown} {...panelProps}>
      <div className="-mt-1 flex items-center justify-between">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{title}</h2>
        <button
          type="button"
          aria-expanded
          aria-controls={id}
          aria-label={`Hide ${label}`}
          title={`Hide ${label}`}
          onClick={() => onOpen(false)}
          className="flex h-6 w-6 items-center justify-center rounded text-xs text-zinc-500 hover:bg-zinc-200 focus-visible:outline-2 focus-visible:outline-orange-500 dark:text-zinc-400 dark:hover:bg-zinc-800"
        >
          <span aria-hidden>{side === 'left' ? '«' : '»'}</span>
        </button>
      </div>
      {children}
    </aside>
  );
}
