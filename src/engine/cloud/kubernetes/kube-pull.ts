import type { V1Secret } from '@kubernetes/client-node';
import { Secret } from 'kubernetes-models/v1/Secret';
import type { Account, AccountCredentials } from '../../../shared/domain/account';
import type { ImageRef } from '../../../shared/domain/image';
import type { ContainerImage } from '../docker/container-images';
import type { ImagePublisher } from '../../registry-push/publish-image';
import { EngineError } from '../../errors';
import { type Cluster, kubeCode } from './kube-client';
import { LABEL } from './kube-manifests';

/** The Secret holding an account's registry credentials in each namespace it deploys to; one per account, shared by its groups. */
export const pullSecretName = (account: string) => `kiln-registry-${account.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.slice(0, 253).replace(/-+$/, '');

/** A `kubernetes.io/dockerconfigjson` Secret for the registry's host, the form the kubelet reads for imagePullSecrets. */
export function pullSecretManifest(s: { kilnId: string; account: string; registry: string; username: string; password: string }): V1Secret {
  const host = s.registry.split('/')[0]!;
  const auth = Buffer.from(`${s.username}:${s.password}`).toString('base64');
  const config = JSON.stringify({ auths: { [host]: { username: s.username, password: s.password, auth } } });
  const manifest: V1Secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/dockerconfigjson',
    metadata: { name: pullSecretName(s.account), labels: { [LABEL.managedBy]: 'kiln', [LABEL.kilnId]: s.kilnId } },
    data: { '.dockerconfigjson': Buffer.from(config).toString('base64') },
  };
  try {
    new Secret(manifest as never).validate();
  } catch (err) {
    throw new EngineError('bad_request', `Kiln made an invalid pull secret: ${(err as Error).message}`, 'manifest');
  }
  return manifest;
}

/**
 * Makes the namespace's pull secret hold the account's current registry credentials: created when
 * missing, replaced when they changed (credentials are rotated in Kiln, the cluster follows at the
 * next deploy). Undefined when the account has no registry credentials: the registry is public.
 */
export async function ensurePullSecret(
  c: Cluster,
  s: { kilnId: string; account: Account; credentials?: AccountCredentials | undefined; namespace: string },
  fail: (what: string) => (err: unknown) => never,
): Promise<string | undefined> {
  const registry = s.account.endpoint.registry;
  const username = s.credentials?.registryUsername;
  if (!registry || !username) return undefined;
  const body = pullSecretManifest({ kilnId: s.kilnId, account: s.account.name, registry, username, password: s.credentials?.registryPassword ?? '' });
  const name = body.metadata!.name!;
  const what = `write the registry pull secret '${name}' in namespace '${s.namespace}'`;
  const current = await c.core.readNamespacedSecret({ name, namespace: s.namespace }).catch((err: unknown) => (kubeCode(err) === 404 ? undefined : fail(what)(err)));
  if (!current) await c.core.createNamespacedSecret({ namespace: s.namespace, body }).catch(fail(what));
  // A Secret of that name that this Kiln did not make is someone else's: never overwritten with the account's credentials.
  else if (current.metadata?.labels?.[LABEL.kilnId] !== s.kilnId)
    throw new EngineError('conflict', `namespace '${s.namespace}' already has a Secret '${name}' that Kiln did not make; remove or rename it`, 'account');
  else if (current.data?.['.dockerconfigjson'] !== body.data!['.dockerconfigjson'] || current.type !== body.type)
    await c.core
      .replaceNamespacedSecret({ name, namespace: s.namespace, body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion } } })
      .catch(fail(what));
  return name;
}

/**
 * What the pods run: `<registry>/<name>@<digest>` once the image is pushed to the account's
 * registry (a digest cannot be moved under a running group), else `<registry>/<name>:<version>`.
 */
export async function pullReference(
  account: Account,
  image: ContainerImage,
  publisher: ImagePublisher | undefined,
): Promise<{ ref: ImageRef; pullRef: string; pushedDigest?: string }> {
  if (publisher) {
    const pushed = await publisher.publish(image);
    return { ref: image.ref, pullRef: `${pushed.repository}@${pushed.digest}`, pushedDigest: pushed.digest };
  }
  const registry = account.endpoint.registry;
  return { ref: image.ref, pullRef: `${registry ? `${registry}/` : ''}${image.ref.name}:${image.ref.version}` };
}
