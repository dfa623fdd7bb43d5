import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: ReactNode;
  /** Small text above the title: what kind of thing this is. */
  eyebrow?: string;
  badges?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  children?: ReactNode;
}

export function PageHeader({ title, eyebrow, badges, description, actions, children }: PageHeaderProps) {
  return (
    <header className="flex flex-col gap-1">
      {eyebrow && <p className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{eyebrow}</p>}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">{title}</h1>
        {badges}
        {actions && <div className="ml-auto flex items-center gap-2">{actions}</div>}
      </div>
      {description && <div className="max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{description}</div>}
      {children}
    </header>
  );
}
