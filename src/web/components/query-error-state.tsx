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

// A refusal says which kind it was; the server's message below it says what exactly.
function refusal(error: Error): string {
  const status = error instanceof ApiRequestError ? error.status : undefined;
  if (status === 404) return 'Not found';
  if (status === 403) return 'You may not see this';
  if (status === 401) return 'Sign in to see this';
  return 'Kiln cannot answer this request';
}

/** Turns a failed query into words: not found, a request the server refused, or an outage worth retrying. */
export function QueryErrorState({ error, notFound, onRetry, retrying, action }: QueryErrorStateProps) {
  if (error instanceof ApiRequestError && error.status === 404 && notFound) return <>{notFound}</>;
  const retryable = !(error instanceof ApiRequestError) || error.retryable;
  const title = error instanceof ApiRequestError && error.status === 0 ? 'Cannot reach Kiln' : retryable ? 'Something went wrong loading this page' : refusal(error);
  return <ErrorState title={title} message={error.message} {...(retryable ? { onRetry } : {})} retrying={retrying} action={action} />;
}
