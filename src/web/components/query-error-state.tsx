import type { ReactNode } from 'react';
import { ApiRequestError } from '../lib/api-client';
import { ErrorState } from './error-state';

interface QueryErrorStateProps {
  error: Error;
  /** What to say when the thing asked for does not exist (404). */
  notFound?: ReactNode;
  onRetry: () => void;
  retrying: boolean;
  /** Offered next to Retry, or alone when retrying cannot help (e.g. "Clear filters" on a 400). */
  action?: ReactNode;
}

/** Turns a failed query into words: not found, a request the server refused, or an outage worth retrying. */
export function QueryErrorState({ error, notFound, onRetry, retrying, action }: QueryErrorStateProps) {
  if (error instanceof ApiRequestError && error.status === 404 && notFound) return <>{notFound}</>;
  const retryable = !(error instanceof ApiRequestError) || error.retryable;
  const title =
    error instanceof ApiRequestError && error.status === 0
      ? 'Cannot reach Kiln'
      : retryable
        ? 'Something went wrong loading this page'
        : 'The server refused this request';
  return (
    <ErrorState
      title={title}
      message={error.message}
      {...(retryable ? { onRetry } : {})}
      retrying={retrying}
      action={action}
    />
  );
}
