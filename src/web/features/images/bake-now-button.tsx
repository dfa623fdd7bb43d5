import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { startBake } from '../../../shared/api/bakes';
import { can } from '../../../shared/domain/user';
import { Button } from '../../components/button';
import { apiFetch, ApiRequestError } from '../../lib/api-client';
import { useMe } from '../../lib/auth-queries';
import { paths } from '../../lib/paths';

interface BakeNowButtonProps {
  recipe: string;
  /** Every application's name (undefined while loading): a bake runs as one of them, and needs EXECUTE on it. */
  applications: readonly string[] | undefined;
}

/**
 * Bakes the recipe's newest revision now, as a run of an application the person may run things
 * in, then opens that run: its live log, and the version it made once done. The BFF checks the
 * same rule; here it only spares a click that would be refused.
 */
export function BakeNowButton({ recipe, applications }: BakeNowButtonProps) {
  const me = useMe();
  const navigate = useNavigate();
  const allowed = (applications ?? []).filter((application) => can(me, 'EXECUTE', { application }));
  const [picked, setPicked] = useState('');
  const application = allowed.includes(picked) ? picked : allowed[0];
  const bake = useMutation({
    mutationFn: (app: string) => apiFetch(startBake, { params: { application: app, recipe }, body: {} }),
    onSuccess: (started) => void navigate(paths.execution(started.application, started.id, { stage: 'bake' })),
  });
  const why =
    applications === undefined
      ? 'Loading the applications you may bake for…'
      : allowed.length === 0
        ? 'Baking needs EXECUTE permission on an application (the bake runs as one of its runs); ask an admin for a role that grants it.'
        : '';
  const error = bake.error instanceof ApiRequestError ? `${bake.error.field ? `${bake.error.field}: ` : ''}${bake.error.message}` : bake.error?.message;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex items-center gap-2">
        {allowed.length > 1 && (
          <label className="flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-400">
            as a run of
            <select
              aria-label="Application the bake runs for"
              value={application}
              onChange={(e) => setPicked(e.target.value)}
              className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs dark:border-zinc-700 dark:bg-zinc-900"
            >
              {allowed.map((a) => (
                <option key={a}>{a}</option>
              ))}
            </select>
          </label>
        )}
        {allowed.length === 1 && <span className="text-xs text-zinc-600 dark:text-zinc-400">as a run of {application}</span>}
        <Button
          variant="primary"
          disabled={!application || bake.isPending}
          title={why || `Bake ${recipe}'s newest revision now, as a run of ${application ?? ''}`}
          onClick={() => application && bake.mutate(application)}
        >
          {bake.isPending ? 'Starting…' : 'Bake now'}
        </Button>
      </div>
      {why && <p className="max-w-sm text-right text-xs text-zinc-600 dark:text-zinc-400">{why}</p>}
      {error && (
        <p role="alert" className="max-w-sm text-right text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
