import { can } from '../../../../shared/domain/user';
import { useMe } from '../../../lib/auth-queries';

/** Said at the top of a pipeline the user may look at but not change, and why. */
export function ReadOnlyNote({ application }: { application: string }) {
  const me = useMe();
  const has = (['EXECUTE', 'READ'] as const).filter((p) => can(me, p, { application }));
  return (
    <p
      role="note"
      aria-label="Read only"
      className="rounded-md border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100"
    >
      <strong>Read only</strong> — you have {has.length > 0 ? has.join(' and ') : 'no'} permission on {application}, not WRITE: you can look at this pipeline
      {has.includes('EXECUTE') ? ' and run it' : ''}, but not change it. Ask an admin for a role with WRITE to edit it.
    </p>
  );
}
