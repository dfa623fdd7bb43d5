import type { ReactNode } from 'react';

interface EmptyStateProps {
  title: string;
  /** h1 when the state is the whole page (not found), h2 inside a page. */
  level?: 1 | 2;
  children?: ReactNode;
  action?: ReactNode;
}

export function EmptyState({ title, level = 2, children, action }: EmptyStateProps) {
  const Heading = level === 1 ? 'h1' : 'h2';
  return (
    <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed border-zinc-300 px-6 py-12 text-center dark:border-zinc-700">
      <Heading className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</Heading>
      {children && <div className="max-w-md text-sm text-zinc-600 dark:text-zinc-400">{children}</div>}
      {action && <div className="mt-2">{action}</div>}
    </div>
  );
}
