import type { CoreV1Event, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { parseMoniker } from '../../../shared/domain/moniker';
import { Capacity, ServerGroup } from '../../../shared/domain/server-group';
import type { ServerGroupKey } from '../provider';
import type { Cluster } from './kube-client';
import { ANNOTATION, LABEL } from './kube-manifests';
import { toInstance } from './kube-instances';

/** Pods of a group that count: not terminating (a deleted pod has left the group even while it drains). */
export async function groupPods(cluster: Cluster, kilnId: string, key: ServerGroupKey): Promise<V1Pod[]> {
  const list = await cluster.core.listNamespacedPod({ namespace: key.region, labelSelector: `${LABEL.kilnId}=${kilnId},${LABEL.serverGroup}=${key.name}` });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp);
}

/** The namespace's events by the object they are about (one list call per look, not one per pod). */
export async function eventsByObject(cluster: Cluster, namespace: string): Promise<Map<string, CoreV1Event[]>> {
  const byName = new Map<string, CoreV1Event[]>();
  const list = await cluster.core.listNamespacedEvent({ namespace });
  for (const e of list.items) {
    const name = e.involvedObject?.name ?? '';
    byName.set(name, [...(byName.get(name) ?? []), e]);
  }
  return byName;
}

const json = <T>(text: string | undefined, fallback: T): T => {
  try {
    return text ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
};

/**
 * A ReplicaSet Kiln made (or an earlier Kiln on this database did: adoption is by the kiln-id label)
 * as a server group: everything Kiln needs is on the object itself, so a restarted Kiln loses nothing.
 */
export function toServerGroup(rs: V1ReplicaSet, pods: V1Pod[], events: Map<string, CoreV1Event[]>, account: string): ServerGroup | undefined {
  const name = rs.metadata?.name ?? '';
  const moniker = parseMoniker(name);
  if (!moniker.ok || moniker.moniker.sequence === undefined) return undefined;
  const annotations = rs.metadata?.annotations ?? {};
  const [imageName, imageVersion] = (annotations[ANNOTATION.image] ?? 'unknown:unknown').split(':');
  const desired = rs.spec?.replicas ?? 0;
  const stored = Capacity.safeParse(json(annotations[ANNOTATION.capacity], {}));
  const capacity =
    stored.success && stored.data.desired === desired
      ? stored.data
      : { min: Math.min(desired, stored.success ? stored.data.min : desired), desired, max: Math.max(desired, stored.success ? stored.data.max : desired) };
  const { app, stack, detail, cluster, sequence } = moniker.moniker;
  const key = { account, region: rs.metadata?.namespace ?? '', name };
  return ServerGroup.parse({
    name,
    application: rs.metadata?.labels?.[LABEL.application] ?? app,
    cluster,
    ...(stack ? { stack } : {}),
    ...(detail ? { detail } : {}),
    sequence,
    account,
    region: key.region,
    image: { name: imageName, version: imageVersion, ...(annotations[ANNOTATION.digest] ? { digest: annotations[ANNOTATION.digest] } : {}) },
    capacity,
    disabled: rs.spec?.template?.metadata?.labels?.[LABEL.traffic] !== 'enabled',
    loadBalancers: json<string[]>(annotations[ANNOTATION.loadBalancers], []),
    instances: pods
      .slice()
      .sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)))
      .map((p) => toInstance(p, key, events.get(p.metadata?.name ?? '') ?? [])),
    launchedAt: (rs.metadata?.creationTimestamp ? new Date(rs.metadata.creationTimestamp) : new Date()).toISOString(),
    managedBy: 'kubernetes',
    ...(annotations[ANNOTATION.userData] ? { userData: annotations[ANNOTATION.userData] } : {}),
  });
}
