import type { ReactNode } from 'react';
import { Button } from './button';

interface ErrorStateProps {
  title: string;
  message?: string;
  onRetry?: () => void;
  retrying?: boolean;
  action?: ReactNode;
}

export function ErrorState({ title, message, onRetry, retrying = false, action }: ErrorStateProps) {
  return (
    <div role="alert" className="flex flex-col items-center gap-2 rounded-lg border border-red-200 bg-red-50/60 px-6 py-10 text-center dark:border-red-400/25 dark:bg-red-500/5">
      <h2 className="text-sm font-semibold text-red-900 dark:text-red-200">{title}</h2>
      {message && <p className="max-w-lg text-sm text-red-800/90 dark:text-red-200/80">{message}</p>}
      {(onRetry || action) && (
        <div className="mt-2 flex gap-2">
          {onRetry && (
            <Button onClick={onRetry} disabled={retrying}>
              {retrying ? 'Retrying…' : 'Retry'}
            </Button>
          )}
          {action}
        </div>
      )}
    </div>
  );
}
