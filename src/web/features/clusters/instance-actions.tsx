import { useState } from 'react';
import type { Instance } from '../../../shared/domain/instance';
import type { ServerGroup } from '../../../shared/domain/server-group';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useInstanceAction } from './instance-mutations';

// Small text buttons beside the row's Log button: the panel is narrow, a column of buttons would squeeze the ids.
const LINK =
  'font-sans text-[11px] font-normal hover:underline focus-visible:outline-2 focus-visible:outline-orange-500 disabled:cursor-not-allowed disabled:no-underline disabled:opacity-50 max-md:min-h-11';

/**
 * Reboot and Terminate for one instance row. Reboot restarts it in place (no question: it comes
 * back by itself); Terminate asks first. Without EXECUTE the buttons stay visible but disabled,
 * with the reason as their description, so people learn what they would need.
 */
export function InstanceActions({
  application,
  sg,
  instance,
  refusal,
  onDone,
}: {
  application: string;
  sg: ServerGroup;
  instance: Instance;
  /** Why this user may not act (no EXECUTE); undefined when they may. */
  refusal: string | undefined;
  onDone: (message: string) => void;
}) {
  const [asking, setAsking] = useState(false);
  const mutation = useInstanceAction(application, sg, onDone);
  const gone = instance.health === 'down';
  const why = refusal ?? (gone ? `${instance.id} is down; ${sg.name} replaces it by itself.` : undefined);
  const running = mutation.isPending ? mutation.variables?.action : undefined;
  return (
    <>
      <button
        type="button"
        className={`${LINK} text-orange-700 dark:text-orange-400`}
        disabled={why !== undefined || mutation.isPending}
        title={why}
        aria-label={`Reboot ${instance.id}`}
        onClick={() => mutation.mutate({ action: 'reboot', instanceId: instance.id })}
      >
        {running === 'reboot' ? 'Rebooting…' : 'Reboot'}
      </button>
      <button
        type="button"
        className={`${LINK} text-red-700 dark:text-red-400`}
        disabled={why !== undefined || mutation.isPending}
        title={why}
        aria-label={`Terminate ${instance.id}`}
        onClick={() => {
          mutation.reset();
          setAsking(true);
        }}
      >
        Terminate
      </button>
      {mutation.isError && !asking && (
        <p role="alert" className="w-full font-sans text-[11px] font-normal whitespace-normal text-red-700 dark:text-red-400">
          {mutation.error.message}
        </p>
      )}
      {asking && (
        // The row header is monospace and bold: the dialog keeps the page's own type.
        <span className="font-sans font-normal whitespace-normal">
          <ConfirmDialog
            title={`Terminate ${instance.id}?`}
            confirmLabel={`Terminate ${instance.id}`}
            busy={mutation.isPending}
            error={mutation.error?.message}
            onClose={() => setAsking(false)}
            onConfirm={() => mutation.mutate({ action: 'terminate', instanceId: instance.id }, { onSuccess: () => setAsking(false) })}
          >
            <p>
              It leaves the load balancers, finishes the requests it is answering and stops for good. {sg.name} launches a new instance to keep its {sg.capacity.desired} desired.
            </p>
          </ConfirmDialog>
        </span>
      )}
    </>
  );
}
