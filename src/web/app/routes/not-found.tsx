import { Link, useLocation } from 'react-router';
import { buttonClasses } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { paths } from '../../lib/paths';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <>
      <title>Not found · Kiln</title>
      <EmptyState
        level={1}
        title="Page not found"
        action={
          <Link to={paths.projects()} className={buttonClasses()}>
            Go to projects
          </Link>
        }
      >
        There is no page at <code className="font-mono text-xs">{pathname}</code>.
      </EmptyState>
    </>
  );
}
