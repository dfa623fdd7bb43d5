import { describeResources, type ImageVersion } from '../../../shared/domain/image';

const LIMITS_NOTE =
  'Per instance: a pod’s requests and limits, a container’s CPU and memory limits, a VM’s vCPUs (whole, rounded up) and memory. The local cloud runs plain processes and cannot enforce them.';

/** How a version runs, from its recipe's `run`: where every provider asks its health, who it runs as, what each instance may use. */
export function RunSettings({ run }: { run: ImageVersion['run'] }) {
  if (!run) return null;
  return (
    <span role="group" className="block text-zinc-500" aria-label="Run settings">
      health <code className="font-mono text-zinc-700 dark:text-zinc-300">{run.healthPath}</code>
      {run.user && <> · runs as {run.user}</>}
      <span className="block" title={LIMITS_NOTE}>
        {run.resources ? `${describeResources(run.resources)} per instance` : 'no CPU or memory limits'}
      </span>
    </span>
  );
}
