import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { startBake } from '../../../shared/api/bakes';
import type { Execution } from '../../../shared/domain/execution';
import { can } from '../../../shared/domain/user';
import { Button } from '../../components/button';
import { apiFetch, ApiRequestError } from '../../lib/api-client';
import { useMe } from '../../lib/auth-queries';
import { paths } from '../../lib/paths';

/**
 * An on-demand bake's page offers "Bake again" where other runs offer Re-run: its pipeline only
 * anchors the bakes and is stored disabled, so re-running it would be refused. Bakes the recipe's
 * newest revision for the same application with the same pushes, then opens the new run.
 */
export function BakeAgainButton({ execution }: { execution: Execution }) {
  const me = useMe();
  const navigate = useNavigate();
  const config = execution.stages[0]!.config;
  const recipe = String(config.recipe);
  const push = Array.isArray(config.push) ? config.push.map(String) : [];
  const allowed = can(me, 'EXECUTE', { application: execution.application });
  const bake = useMutation({
    mutationFn: () => apiFetch(startBake, { params: { application: execution.application, recipe }, body: { push } }),
    onSuccess: (started) => void navigate(paths.execution(started.application, started.id, { stage: 'bake' })),
  });
  const error = bake.error instanceof ApiRequestError ? `${bake.error.field ? `${bake.error.field}: ` : ''}${bake.error.message}` : bake.error?.message;
  return (
    <div className="flex flex-col items-end gap-1">
      <Button
        disabled={!allowed || bake.isPending}
        title={allowed ? `Bake ${recipe}'s newest revision again, as a run of ${execution.application}` : `Baking needs EXECUTE permission on ${execution.application}`}
        onClick={() => bake.mutate()}
      >
        {bake.isPending ? 'Starting…' : 'Bake again'}
      </Button>
      {error && (
        <p role="alert" className="max-w-sm text-right text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
