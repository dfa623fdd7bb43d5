import { useState } from 'react';
import type { ServerGroup } from '../../../shared/domain/server-group';
import { Button } from '../../components/button';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { type ServerGroupAction, useServerGroupAction } from './server-group-mutations';
import { usePermission } from '../../lib/auth-queries';
import { TrafficGuardToggle } from './traffic-guard-toggle';
import { RollbackProgress } from './rollback-progress';

const PROGRESS: Record<ServerGroupAction, (sg: ServerGroup) => string> = {
  enable: (sg) => `Enabling ${sg.name}…`,
  disable: (sg) => `Disabling ${sg.name}; requests in flight finish first…`,
  resize: (sg) => `Resizing ${sg.name}…`,
  destroy: (sg) => `Destroying ${sg.name}: draining, then stopping its instances…`,
  rollback: (sg) => `Asking Kiln to roll back ${sg.cluster}…`,
};

function explain(action: ServerGroupAction, sg: ServerGroup): string {
  switch (action) {
    case 'enable':
      return `Its load balancers (${sg.loadBalancers.join(', ') || 'none'}) start sending it traffic.`;
    case 'disable':
      return 'Its load balancers stop sending it new requests; requests in flight finish. Its instances keep running.';
    case 'resize':
      return 'Instances are started or stopped until the group has the desired number.';
    case 'destroy':
      return 'The group is taken out of traffic, drained, and every instance is stopped. This cannot be undone.';
    case 'rollback':
      return `The previous server group of cluster ${sg.cluster} is brought back (resized if it was scaled down), and once healthy it takes the traffic; ${sg.name} is disabled.`;
  }
}

const VERB: Record<ServerGroupAction, string> = { enable: 'Enable', disable: 'Disable', resize: 'Resize', destroy: 'Destroy', rollback: 'Roll back' };

/** Enable, disable, resize, destroy, rollback: each behind a confirmation that names the group. */
export function ServerGroupActions({
  application,
  sg,
  destroyNeedsName = false,
  onGone,
}: {
  application: string;
  sg: ServerGroup;
  destroyNeedsName?: boolean | undefined;
  onGone?: () => void;
}) {
  const [asked, setAsked] = useState<ServerGroupAction | undefined>();
  const [desired, setDesired] = useState(sg.capacity.desired);
  const mutation = useServerGroupAction(application, sg, onGone);
  const permission = usePermission('EXECUTE', { application, account: sg.account });

  if (!sg.managedBy) {
    return (
      <p className="rounded-md bg-zinc-50 px-3 py-2 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
        Display-only (demo data): no cloud runs this server group, so it has no actions.
      </p>
    );
  }
  if (!permission.allowed) {
    return <p className="rounded-md bg-zinc-50 px-3 py-2 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">{permission.why}</p>;
  }
  const ask = (action: ServerGroupAction) => {
    mutation.reset();
    setDesired(sg.capacity.desired);
    setAsked(action);
  };
  const running = mutation.isPending ? mutation.variables?.action : undefined;
  const title = asked === 'rollback' ? `Roll back cluster ${sg.cluster} from ${sg.name}?` : asked ? `${VERB[asked]} ${sg.name}?` : '';

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap gap-2" role="group" aria-label="Server group actions">
        {sg.disabled ? (
          <Button size="sm" onClick={() => ask('enable')}>
            Enable
          </Button>
        ) : (
          <Button size="sm" onClick={() => ask('disable')}>
            Disable
          </Button>
        )}
        <Button size="sm" onClick={() => ask('resize')}>
          Resize
        </Button>
        {!sg.disabled && (
          <Button size="sm" onClick={() => ask('rollback')}>
            Roll back
          </Button>
        )}
        <Button size="sm" variant="ghost" className="text-red-700! dark:text-red-400!" onClick={() => ask('destroy')}>
          Destroy
        </Button>
      </div>
      <TrafficGuardToggle application={application} sg={sg} />
      {running && (
        <p role="status" className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
          <span aria-hidden="true" className="size-3 animate-spin rounded-full border-2 border-zinc-300 border-t-orange-500" />
          {PROGRESS[running](sg)}
        </p>
      )}
      {mutation.isSuccess && !asked && mutation.data.operationId && <RollbackProgress application={application} operationId={mutation.data.operationId} />}
      {mutation.isSuccess && !asked && !mutation.data.operationId && (
        <p role="status" className="text-xs text-emerald-700 dark:text-emerald-400">
          {mutation.data.message}
        </p>
      )}
      {asked && (
        <ConfirmDialog
          title={title}
          confirmLabel={asked === 'rollback' ? 'Roll back' : `${VERB[asked]} ${sg.name}`}
          {...(asked === 'destroy' && destroyNeedsName ? { typeToConfirm: sg.name } : {})}
          busy={mutation.isPending}
          error={mutation.error?.message}
          onClose={() => setAsked(undefined)}
          onConfirm={() =>
            // A destroyed group has nothing left to show: onGone closes its panel.
            mutation.mutate({ action: asked, desired, ...(asked === 'destroy' && destroyNeedsName ? { confirm: sg.name } : {}) }, { onSuccess: () => setAsked(undefined) })
          }
        >
          <p>{explain(asked, sg)}</p>
          {asked === 'destroy' && destroyNeedsName && (
            <p className="mt-2 font-medium text-red-800 dark:text-red-300">
              It is the last enabled server group of production cluster {sg.cluster} in {sg.account}/{sg.region}: nothing will serve there afterwards.
            </p>
          )}
          {asked === 'resize' && (
            <label className="mt-3 flex items-center gap-2 text-xs font-medium text-zinc-700 dark:text-zinc-300">
              Desired instances
              <input
                type="number"
                min={0}
                max={100}
                value={desired}
                onChange={(e) => setDesired(Number(e.target.value))}
                className="w-20 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-950"
              />
              <span className="font-normal text-zinc-500">
                min {sg.capacity.min}, max {sg.capacity.max}
              </span>
            </label>
          )}
          {mutation.isPending && <p className="mt-2 text-xs">{PROGRESS[asked](sg)}</p>}
        </ConfirmDialog>
      )}
    </div>
  );
}
