import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { Instance } from '../../../shared/domain/instance';
import { isReady, LABEL } from './kube-manifests';

/** A pod's Kiln id: `i-` and its uid without dashes (a pod's name changes when its ReplicaSet replaces it; so does this). */
export const instanceIdOf = (pod: V1Pod) => `i-${(pod.metadata?.uid ?? '').replace(/-/g, '').toLowerCase()}`;

/** Waiting reasons that will not fix themselves: the deploy fails at once with the kubelet's words. */
const STUCK = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError']);

/** Why a pod cannot run, in Kubernetes' own words (its latest Warning event, else its container state); undefined while it may still come up. */
export function stuckReason(pod: V1Pod, events: CoreV1Event[]): string | undefined {
  const state = pod.status?.containerStatuses?.[0]?.state;
  const waiting = state?.waiting?.reason;
  const failed = pod.status?.phase === 'Failed' || state?.terminated !== undefined;
  if (!(waiting && STUCK.has(waiting)) && !failed) return undefined;
  const warning =
    events.filter((e) => e.type === 'Warning' && e.reason === 'Failed' && !e.message?.startsWith('Error: ')).at(-1) ?? events.filter((e) => e.type === 'Warning').at(-1);
  const fallback = waiting ? `${waiting}: ${state?.waiting?.message ?? ''}` : `exited with code ${state?.terminated?.exitCode ?? '?'} (${state?.terminated?.reason ?? 'Error'})`;
  return `pod ${pod.metadata?.name}: ${warning?.message ?? fallback}`;
}

/** A pod as the clusters view shows an instance: up in traffic, out of service when ready but out of traffic. */
export function toInstance(pod: V1Pod, group: { account: string; region: string; name: string }, events: CoreV1Event[]): Instance {
  const ready = isReady(pod);
  const inTraffic = pod.metadata?.labels?.[LABEL.traffic] === 'enabled';
  const stuck = stuckReason(pod, events);
  const unhealthy = events.filter((e) => e.reason === 'Unhealthy').at(-1)?.message;
  const health = stuck ? 'down' : ready ? (inTraffic ? 'up' : 'out_of_service') : 'starting';
  const detail = stuck
    ? stuck
    : ready
      ? `pod ${pod.metadata?.name} ready${inTraffic ? '' : ', out of traffic'}`
      : `pod ${pod.metadata?.name} ${pod.status?.phase ?? 'Pending'}, not ready${unhealthy ? `: ${unhealthy}` : ''}`;
  return Instance.parse({
    id: instanceIdOf(pod),
    serverGroup: group.name,
    account: group.account,
    region: group.region,
    zone: pod.spec?.nodeName ?? group.region,
    health,
    healthDetail: `account '${group.account}': ${detail}`,
    address: pod.status?.podIP ? `${pod.status.podIP}:${pod.spec?.containers[0]?.ports?.[0]?.containerPort ?? 8080}` : 'pending',
    launchedAt: (pod.metadata?.creationTimestamp ? new Date(pod.metadata.creationTimestamp) : new Date()).toISOString(),
  });
}
