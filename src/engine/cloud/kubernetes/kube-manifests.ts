import type { V1Pod, V1ReplicaSet, V1SecurityContext, V1Service } from '@kubernetes/client-node';
import { ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import { Service } from 'kubernetes-models/v1/Service';
import type { RunResources } from '../../../shared/domain/image';
import type { Capacity } from '../../../shared/domain/server-group';
import { podResources } from '../run-resources';
import { EngineError } from '../../errors';

/** Labels Kiln finds its objects by; the traffic label is Spinnaker's traffic management: a Service selects only pods carrying it. */
export const LABEL = {
  managedBy: 'app.kubernetes.io/managed-by',
  kilnId: 'kiln.io/kiln-id',
  application: 'kiln.io/application',
  cluster: 'kiln.io/cluster',
  serverGroup: 'kiln.io/server-group',
  version: 'kiln.io/version',
  traffic: 'kiln.io/traffic',
} as const;
/** One label per balancer a group is behind: the Service's selector names it. */
export const lbLabel = (balancer: string) => `lb.kiln.io/${balancer}`;

export const ANNOTATION = {
  image: 'kiln.io/image',
  digest: 'kiln.io/image-digest',
  capacity: 'kiln.io/capacity',
  loadBalancers: 'kiln.io/load-balancers',
  userData: 'kiln.io/user-data',
  healthCheckPath: 'kiln.io/health-check-path',
  weights: 'kiln.io/weights',
} as const;

/** The port the app listens on inside its pod ($PORT), which Services forward to. */
export const APP_PORT = 8080;

export interface GroupManifest {
  kilnId: string;
  name: string;
  application: string;
  cluster: string;
  image: { name: string; version: string; digest?: string | undefined };
  /** `<registry>/<name>@<digest>` (pushed) or `<registry>/<name>:<version>`: what the cluster pulls. */
  pullRef: string;
  /** The Secret with the account's registry credentials, when the registry needs them. */
  pullSecret?: string | undefined;
  capacity: Capacity;
  loadBalancers: string[];
  healthCheckPath: string;
  userData?: string | undefined;
  /** The recipe's `run.user` (`name` or `uid[:gid]`); the image's config runs it either way. */
  runAsUser?: string | undefined;
  /** The recipe's `run.resources`: the container's requests and limits (equal); none when it says nothing. */
  resources?: RunResources | undefined;
}

/**
 * What PodSecurity's `restricted` level asks of a container, so Kiln's pods run in namespaces that
 * enforce it: no privilege escalation and the runtime's seccomp profile always (an app that serves
 * HTTP needs neither), and for a numeric non-root `run.user` also runAsNonRoot with that uid and no
 * capabilities. A user name gets no runAsNonRoot: the kubelet cannot check a name against root and
 * refuses such a pod (CreateContainerConfigError), and root (or no user) keeps its capabilities.
 */
export function containerSecurity(user: string | undefined): V1SecurityContext {
  const always: V1SecurityContext = { allowPrivilegeEscalation: false, seccompProfile: { type: 'RuntimeDefault' } };
  const numeric = /^([0-9]+)(?::([0-9]+))?$/.exec(user ?? '');
  if (!numeric || Number(numeric[1]) === 0) return always;
  return {
    ...always,
    runAsNonRoot: true,
    runAsUser: Number(numeric[1]),
    ...(numeric[2] !== undefined ? { runAsGroup: Number(numeric[2]) } : {}),
    capabilities: { drop: ['ALL'] },
  };
}

/**
 * A server group as a ReplicaSet: its selector is the group's own labels (never the traffic label,
 * so taking a pod out of traffic does not orphan it), and its pod template carries the labels of
 * the balancers it stands behind. Validated against the Kubernetes schema before it is sent.
 */
export function replicaSetManifest(g: GroupManifest): V1ReplicaSet {
  const selector = { [LABEL.kilnId]: g.kilnId, [LABEL.serverGroup]: g.name };
  const labels = {
    ...selector,
    [LABEL.managedBy]: 'kiln',
    [LABEL.application]: g.application,
    [LABEL.cluster]: g.cluster,
    [LABEL.version]: g.image.version,
  };
  const manifest: V1ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: g.name,
      labels,
      annotations: {
        [ANNOTATION.image]: `${g.image.name}:${g.image.version}`,
        ...(g.image.digest ? { [ANNOTATION.digest]: g.image.digest } : {}),
        [ANNOTATION.capacity]: JSON.stringify(g.capacity),
        [ANNOTATION.loadBalancers]: JSON.stringify(g.loadBalancers),
        ...(g.userData ? { [ANNOTATION.userData]: g.userData } : {}),
      },
    },
    spec: {
      replicas: g.capacity.desired,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...labels, ...Object.fromEntries(g.loadBalancers.map((lb) => [lbLabel(lb), 'true'])) } },
        spec: {
          ...(g.pullSecret ? { imagePullSecrets: [{ name: g.pullSecret }] } : {}),
          containers: [
            {
              name: 'app',
              image: g.pullRef,
              ports: [{ name: 'http', containerPort: APP_PORT }],
              env: [
                { name: 'PORT', value: String(APP_PORT) },
                { name: 'KILN_IMAGE_NAME', value: g.image.name },
                { name: 'KILN_IMAGE_VERSION', value: g.image.version },
                { name: 'KILN_INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              readinessProbe: { httpGet: { path: g.healthCheckPath, port: APP_PORT }, periodSeconds: 2, failureThreshold: 3 },
              securityContext: containerSecurity(g.runAsUser),
              ...(podResources(g.resources) ? { resources: podResources(g.resources) } : {}),
            },
          ],
        },
      },
    },
  };
  return validated(manifest, (m) => new ReplicaSet(m as never).validate());
}

/** A balancer as a Service of type LoadBalancer selecting the pods that are behind it and in traffic. */
export function serviceManifest(s: { kilnId: string; application: string; name: string; healthCheckPath: string }): V1Service {
  const manifest: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: s.name,
      labels: { [LABEL.managedBy]: 'kiln', [LABEL.kilnId]: s.kilnId, [LABEL.application]: s.application },
      annotations: { [ANNOTATION.healthCheckPath]: s.healthCheckPath },
    },
    spec: {
      type: 'LoadBalancer',
      selector: { [lbLabel(s.name)]: 'true', [LABEL.traffic]: 'enabled' },
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    },
  };
  return validated(manifest, (m) => new Service(m as never).validate());
}

function validated<T>(manifest: T, validate: (m: T) => void): T {
  try {
    validate(manifest);
  } catch (err) {
    throw new EngineError('bad_request', `Kiln made an invalid manifest: ${(err as Error).message}`, 'manifest');
  }
  return manifest;
}

const isReady = (pod: V1Pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
export { isReady };
