import type { Account, AccountCredentials, AccountHealth } from '../../../shared/domain/account';
import { EngineError } from '../../errors';

/** Really asks the account's API server for its version, with the account's own credentials (an expired token shows here, before any deploy). */
export async function kubernetesHealth(account: Account, credentials: AccountCredentials | undefined, now: Date): Promise<AccountHealth> {
  const checkedAt = now.toISOString();
  // The Kubernetes client library loads on the first probe of a kubernetes account, not with every Kiln (account-health is on the start path).
  const { connectCluster, kubeCode, kubeMessage } = await import('./kube-client');
  let server = 'its API server';
  try {
    const cluster = connectCluster(account, credentials);
    server = cluster.server;
    const info = await cluster.version.getCode();
    return { status: 'reachable', version: `Kubernetes ${info.gitVersion} at ${server}`, checkedAt };
  } catch (err) {
    if (err instanceof EngineError) return { status: 'unreachable', reason: err.message, checkedAt };
    const code = kubeCode(err);
    const reason =
      code === 401
        ? `the Kubernetes API server at ${server} refused its credentials: ${kubeMessage(err)}; renew the kubeconfig's token`
        : code === undefined
          ? `the Kubernetes API server at ${server} cannot be reached: ${kubeMessage(err)}`
          : `the Kubernetes API server at ${server} answered: ${kubeMessage(err)}`;
    return { status: 'unreachable', reason, checkedAt };
  }
}
