import type { ServerGroupDetail } from '../../../shared/api/clusters';
import { healthCounts } from '../../../shared/domain/cluster';
import { HEALTH_LABEL, HealthState } from '../../../shared/domain/instance';
import { DetailField as Field } from '../../components/detail-field';
import { DetailSection as Section } from '../../components/detail-section';
import { RelativeTime } from '../../components/relative-time';
import { InstancesTable } from './instances-table';
import { LoadBalancerTable } from './load-balancer-table';
import { ServerGroupOrigin } from './server-group-origin';
import { AccountEnvironmentBadge } from '../../components/account-environment-badge';

/** The body of the details panel: where it runs, what it runs, who routes to it, and each instance. */
export function ServerGroupDetails({ detail }: { detail: ServerGroupDetail }) {
  const { serverGroup: sg, loadBalancers } = detail;
  const counts = healthCounts(sg);
  const summary = HealthState.options
    .filter((h) => counts[h] > 0)
    .map((h) => `${counts[h]} ${HEALTH_LABEL[h].toLowerCase()}`)
    .join(', ');
  return (
    <div className="flex flex-col gap-5">
      <dl className="grid grid-cols-3 gap-x-4 gap-y-3">
        <Field label="Account">
          <span className="flex items-center gap-1.5">
            {sg.account} <AccountEnvironmentBadge account={sg.account} />
          </span>
        </Field>
        <Field label="Region">{sg.region}</Field>
        <Field label="Cluster">
          <span className="font-mono">{sg.cluster}</span>
        </Field>
        <Field label="Image">
          <span className="font-mono">
            {sg.image.name}:{sg.image.version}
          </span>
        </Field>
        <Field label="Capacity">
          <span className="tabular-nums" title="min / desired / max">
            {sg.capacity.min} / {sg.capacity.desired} / {sg.capacity.max}
            <span className="ml-1 text-xs text-zinc-500 dark:text-zinc-400">min/des/max</span>
          </span>
        </Field>
        <Field label="Launched">
          <RelativeTime iso={sg.launchedAt} />
        </Field>
        <ServerGroupOrigin sg={sg} />
        {sg.image.digest && (
          <Field label="Image digest" className="col-span-3">
            <span className="font-mono text-xs break-all">{sg.image.digest}</span>
          </Field>
        )}
      </dl>
      <Section title="Load balancers">
        <LoadBalancerTable loadBalancers={loadBalancers} serverGroup={sg} />
      </Section>
      <Section title={`Instances (${sg.instances.length}${summary ? `: ${summary}` : ''})`}>
        <InstancesTable instances={sg.instances} logs={sg.managedBy !== undefined} operate={sg.managedBy ? sg : undefined} />
      </Section>
    </div>
  );
}
