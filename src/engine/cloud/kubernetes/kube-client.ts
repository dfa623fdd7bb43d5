import * as k8s from '@kubernetes/client-node';
import type { Account, AccountCredentials } from '../../../shared/domain/account';
import { EngineError } from '../../errors';

const FILE_KEYS = /["']?\b(token-file|client-certificate|client-key|certificate-authority)["']?\s*:/;

/** The API clients of one account, from its kubeconfig (inline in the credentials, or a file on this server) and context. */
export function connectCluster(account: Account, credentials: AccountCredentials | undefined) {
  const kc = new k8s.KubeConfig();
  try {
    if (credentials?.kubeconfig) {
      // An inline kubeconfig names no file on the Kiln server: the client would read it and send it (a token file to any server named).
      const file = FILE_KEYS.exec(credentials.kubeconfig)?.[1];
      if (file) throw new Error(`an inline kubeconfig must carry its secrets inline (token, *-data), not name a file on the Kiln server (${file})`);
      kc.loadFromString(credentials.kubeconfig);
    } else if (account.endpoint.kubeconfigPath) {
      let loaded = false;
      try {
        kc.loadFromFile(account.endpoint.kubeconfigPath);
        loaded = kc.getClusters().length > 0;
      } catch {
        // Never the parser's words: they quote the file, and the path may name any file on this server.
      }
      if (!loaded) throw new Error(`${account.endpoint.kubeconfigPath} cannot be read as a kubeconfig`);
    } else throw new Error('it has neither a kubeconfig path nor an inline kubeconfig');
    if (account.endpoint.context) {
      if (!kc.getContextObject(account.endpoint.context)) throw new Error(`it has no context '${account.endpoint.context}'`);
      kc.setCurrentContext(account.endpoint.context);
    }
    if (!kc.getCurrentContext()) throw new Error("it has no current context: set the account's context");
    if (!kc.getCurrentCluster()) throw new Error(`context '${kc.getCurrentContext()}' names no cluster`);
    // An exec plugin or auth provider would run a command on the Kiln server for whoever edits the account.
    const user = kc.getCurrentUser();
    if (user?.exec || user?.authProvider)
      throw new Error('its user gets a token by running a command (exec or auth-provider), which Kiln does not do: give it a token or a client certificate');
  } catch (err) {
    throw new EngineError('bad_request', `account '${account.name}': the kubeconfig cannot be used: ${(err as Error).message}`, 'account');
  }
  return {
    server: kc.getCurrentCluster()!.server,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    version: kc.makeApiClient(k8s.VersionApi),
    batch: kc.makeApiClient(k8s.BatchV1Api),
    /** For clients built on the config itself (pod logs are streamed by k8s.Log). */
    config: kc,
  };
}
export type Cluster = ReturnType<typeof connectCluster>;

export const MERGE_PATCH = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/** The HTTP status of an API answer, or undefined when the server was never reached. */
export const kubeCode = (err: unknown): number | undefined => (err instanceof k8s.ApiException ? err.code : undefined);

/** Kubernetes' own words: the `message` of the Status it answered, or why the server could not be reached. */
export function kubeMessage(err: unknown): string {
  if (err instanceof k8s.ApiException) {
    const body = err.body as unknown;
    try {
      const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string };
      if (status?.message) return `${status.message} (HTTP ${err.code})`;
    } catch {
      // not a Status: fall through to the code
    }
    // Some answers come without a parsed body; the client then puts the reason in its own message.
    const said = /^Message: (.+)$/m.exec(err.message)?.[1];
    return said && !said.startsWith('Unknown API Status Code') ? `${said} (HTTP ${err.code})` : `HTTP ${err.code}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** A failed call as an EngineError naming the account: credentials and RBAC problems are the account's, not the caller's input. */
export function kubeError(account: string, server: string, err: unknown, what: string): EngineError {
  if (err instanceof EngineError) return err;
  const code = kubeCode(err);
  const message = kubeMessage(err);
  if (code === undefined) return new EngineError('conflict', `account '${account}': the Kubernetes API server at ${server} cannot be reached (${what}): ${message}`, 'account');
  if (code === 401)
    return new EngineError('conflict', `account '${account}': the Kubernetes API server refused its credentials (${what}): ${message}; renew the kubeconfig's token`, 'account');
  if (code === 403) return new EngineError('forbidden', `account '${account}' may not ${what}: ${message}`, 'region');
  if (code === 404) return new EngineError('not_found', `account '${account}': ${message}`, 'serverGroup');
  if (code === 409) return new EngineError('conflict', `account '${account}': ${message}`, 'name');
  if (code === 422) return new EngineError('bad_request', `account '${account}': the cluster refused the manifest (${what}): ${message}`, 'manifest');
  return new EngineError('conflict', `account '${account}': Kubernetes failed to ${what}: ${message}`, 'account');
}
