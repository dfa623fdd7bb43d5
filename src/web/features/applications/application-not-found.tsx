import { Link } from 'react-router';
import { EmptyState } from '../../components/empty-state';
import { buttonClasses } from '../../components/button';
import { paths } from '../../lib/paths';

export function ApplicationNotFound({ name }: { name: string }) {
  return (
    <EmptyState
      level={1}
      title={`Application '${name}' does not exist`}
      action={
        <Link to={paths.applications()} className={buttonClasses()}>
          Back to applications
        </Link>
      }
    >
      It may have been renamed or deleted, or the address has a typo.
    </EmptyState>
  );
}
