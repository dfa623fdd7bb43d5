import { runChanges, runsAutomaticallyAs } from '../../../../shared/domain/pipeline-run-guard';
import { usePermission } from '../../../lib/auth-queries';
import { useDraft } from './draft-context';

/**
 * Tells someone without EXECUTE, before they save, that this pipeline runs on its own as someone
 * else, so changing what it runs is refused (the BFF's rule in pipeline-run-guard.ts); once their
 * draft holds such a change, which parts would be refused.
 */
export function RunAsNotice() {
  const draft = useDraft((s) => s.draft);
  const saved = useDraft((s) => s.saved);
  const execute = usePermission('EXECUTE', { application: draft.application });
  const live = runsAutomaticallyAs(saved.triggers);
  if (execute.allowed || !live) return null;
  const parts = runChanges(draft, saved);
  const tone =
    parts.length > 0
      ? 'border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200'
      : 'border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200';
  return (
    <p role="note" aria-label="Runs automatically" className={`rounded-md border px-3 py-2 text-sm ${tone}`}>
      This pipeline runs automatically as {live.owners} ({live.kinds} trigger), so saving changes to what it runs (stages, parameters, notifications, concurrency, turning it back
      on) needs EXECUTE. You can still change its name and description or disable it.
      {parts.length > 0 && <strong> Saving will be refused: your draft changes its {parts.join(', ')}.</strong>} {execute.why}
    </p>
  );
}
