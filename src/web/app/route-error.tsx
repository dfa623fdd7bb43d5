import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { buttonClasses } from '../components/button';
import { ErrorState } from '../components/error-state';
import { paths } from '../lib/paths';

/** Last line of defence: a crash in a page, or a page's code that failed to load after a deploy. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : 'Unknown error';
  return (
    <div className="mx-auto max-w-2xl p-8">
      <ErrorState
        title="This page failed to load"
        message={message}
        onRetry={() => window.location.reload()}
        action={
          <Link to={paths.projects()} className={buttonClasses('ghost')} reloadDocument>
            Go to projects
          </Link>
        }
      />
    </div>
  );
}
