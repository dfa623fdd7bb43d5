import { useState } from 'react';
import type { Instance } from '../../../shared/domain/instance';
import type { ServerGroup } from '../../../shared/domain/server-group';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useInstanceAction } from './instance-mutations';

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
  const mutation = useInstanceAction(application, sg);
  const gone = instance.health === 'down';
  const why = refusal ?? (gone ? `${instance.id} is down; ${sg.name} replaces it by itself.` : undefined);
  const running = mutation.isPending ? mutation.variables?.action : undefined;
  return (
    <div className="flex flex-wrap gap-1">
      <Button
        size="sm"
        disabled={why !== undefined || mutation.isPending}
        title={why}
        aria-label={`Reboot ${instance.id}`}
        onClick={() => mutation.mutate({ action: 'reboot', instanceId: instance.id }, { onSuccess: onDone })}
      >
        {running === 'reboot' ? 'Rebooting…' : 'Reboot'}
      </Button>
      <Button
        size="sm"
        variant="ghost"
        className="text-red-700! dark:text-red-400!"
        disabled={why !== undefined || mutation.isPending}
        title={why}
        aria-label={`Terminate ${instance.id}`}
        onClick={() => {
          mutation.reset();
          setAsking(true);
        }}
      >
        Terminate
      </Button>
      {mutation.isError && !asking && (
        <p role="alert" className="w-full text-[11px] text-red-700 dark:text-red-400">
          {mutation.error.message}
        </p>
      )}
      {asking && (
        <ConfirmDialog
          title={`Terminate ${instance.id}?`}
          confirmLabel={`Terminate ${instance.id}`}
          busy={mutation.isPending}
          error={mutation.error?.message}
          onClose={() => setAsking(false)}
          onConfirm={() =>
            mutation.mutate(
              { action: 'terminate', instanceId: instance.id },
              {
                onSuccess: (message) => {
                  setAsking(false);
                  onDone(message);
                },
              },
            )
          }
        >
          <p>
            It leaves the load balancers, finishes the requests it is answering and stops for good. {sg.name} launches a new instance to keep its{' '}
            {sg.capacity.desired} desired.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
