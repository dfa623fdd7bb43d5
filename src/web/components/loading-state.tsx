import type { ReactNode } from 'react';

/** Wraps a skeleton so assistive tech hears "Loading …" instead of silence. */
export function LoadingState({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="status" aria-busy="true">
      <span className="sr-only">{label}</span>
      {children}
    </div>
  );
}
