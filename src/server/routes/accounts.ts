import type { FastifyInstance } from 'fastify';
import { createAccount, deleteAccount, getAccount, getAccountHealth, updateAccount, type AccountChanges } from '../../shared/api/accounts';
import { Account, describeHealth, type AccountCredentials } from '../../shared/domain/account';
import type { AccountMetricsInput } from '../../shared/domain/account-metrics';
import { NotFoundError } from '../../db/errors';
import type { Repositories } from '../../db/types';
import { accountHealth, dockerTarget } from '../../engine/index';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * A docker account's settings must make sense before Kiln stores them: a host for docker, none
 * for local, and TLS for plain TCP beyond this machine (the Docker API without TLS is root for
 * whoever can reach the port).
 */
function checkEndpoint(account: Account): void {
  const host = account.endpoint.dockerHost;
  if (account.provider === 'docker' && !host)
    throw new HttpError(400, 'bad_request', 'A docker account needs a docker host (unix:///path/to/docker.sock or tcp://host:port).', 'endpoint.dockerHost');
  if ((account.provider === 'local' || account.provider === 'qemu') && host)
    throw new HttpError(400, 'bad_request', `A ${account.provider} account runs on this machine and has no docker host.`, 'endpoint.dockerHost');
  if (account.provider === 'kubernetes' && host)
    throw new HttpError(400, 'bad_request', 'A kubernetes account reaches its cluster through a kubeconfig, not a docker host.', 'endpoint.dockerHost');
  const kube = account.endpoint.kubeconfigPath ?? account.endpoint.context;
  if (account.provider !== 'kubernetes' && kube !== undefined)
    throw new HttpError(400, 'bad_request', `A ${account.provider} account has no kubeconfig or context.`, 'endpoint.kubeconfigPath');
  // Clusters and container engines pull from a registry; the local cloud and VMs run from Kiln's own store.
  if (account.provider !== 'kubernetes' && account.provider !== 'docker' && account.endpoint.registry !== undefined)
    throw new HttpError(400, 'bad_request', `A ${account.provider} account runs images from Kiln's own store, not from a registry.`, 'endpoint.registry');
  if (account.provider !== 'kubernetes' && account.metrics)
    throw new HttpError(400, 'bad_request', `A ${account.provider} account's own balancer counts its traffic: a metrics source is for kubernetes accounts.`, 'metrics');
  if (host) {
    const target = dockerTarget(host);
    if (!('socketPath' in target) && !target.secure && !account.endpoint.tls && !LOOPBACK.test(target.host)) {
      throw new HttpError(
        400,
        'bad_request',
        `Plain TCP to ${target.host} would hand the engine to anyone on the network; turn on TLS for hosts other than this machine.`,
        'endpoint.tls',
      );
    }
  }
}

async function requireAccount(repos: Repositories, name: string): Promise<Account> {
  const account = await repos.accounts.get(name);
  if (!account) throw new NotFoundError(`Account '${name}' does not exist.`, 'account');
  return account;
}

/** The stored credentials with the registry login set (or removed by null); null when nothing is left. */
function withRegistryLogin(stored: AccountCredentials | null | undefined, login: { username: string; password: string } | null): AccountCredentials | null {
  const { registryUsername: _user, registryPassword: _password, ...others } = stored ?? {};
  const next = login ? { ...others, registryUsername: login.username, registryPassword: login.password } : others;
  return Object.keys(next).length > 0 ? next : null;
}

/**
 * What a change leaves stored: `credentials` replace them all; `token` and `registryLogin` change only
 * their part of what is stored (or of the new `credentials`), as the dashboard cannot read the rest back.
 * Undefined: the credentials do not change.
 */
async function changedCredentials(repos: Repositories, name: string, body: AccountChanges): Promise<AccountCredentials | null | undefined> {
  // Removing the metrics source removes its token too; a source sent without one keeps the stored token.
  const prometheusToken = body.metrics === null ? null : body.metrics?.prometheus.token;
  if (body.token === undefined && body.registryLogin === undefined && prometheusToken === undefined) return body.credentials;
  let next: AccountCredentials | null = body.credentials ?? (await repos.accounts.credentials(name)) ?? null;
  if (body.token !== undefined) next = { ...next, token: body.token };
  if (body.registryLogin !== undefined) next = withRegistryLogin(next, body.registryLogin);
  if (prometheusToken !== undefined) next = withPrometheusToken(next, prometheusToken);
  return next;
}

/** The stored credentials with the Prometheus token set (or removed by null); null when nothing is left. */
function withPrometheusToken(stored: AccountCredentials | null, token: string | null): AccountCredentials | null {
  const { prometheusToken: _old, ...others } = stored ?? {};
  const next = token ? { ...others, prometheusToken: token } : others;
  return Object.keys(next).length > 0 ? next : null;
}

/** The metrics source as stored and shown: everything but its token. */
const metricsOf = (metrics: AccountMetricsInput) => {
  const { token: _token, ...prometheus } = metrics.prometheus;
  return { prometheus };
};

/** Accounts: everyone signed in sees them (never their credentials); only admins change them. */
export function accountRoutes(app: FastifyInstance, { repos, cloud, version }: AppDeps, now: () => Date): void {
  const healthOf = async (account: Account, credentials?: AccountCredentials) =>
    accountHealth(account, credentials ?? (await repos.accounts.credentials(account.name)), { localCloud: cloud !== undefined, version, now: now() });

  // A docker engine that cannot be reached now is refused, naming why, so no account is stored that cannot work.
  const requireReachable = async (account: Account, credentials: AccountCredentials | undefined) => {
    if (account.provider !== 'docker' && account.provider !== 'kubernetes') return;
    if (account.provider === 'kubernetes' && !account.endpoint.kubeconfigPath && !credentials?.kubeconfig)
      throw new HttpError(400, 'bad_request', 'A kubernetes account needs a kubeconfig: a path on the Kiln server, or an inline one in its credentials.', 'credentials.kubeconfig');
    const health = await healthOf(account, credentials ?? {});
    const field =
      account.provider === 'docker' ? 'endpoint.dockerHost' : account.endpoint.kubeconfigPath && !credentials?.kubeconfig ? 'endpoint.kubeconfigPath' : 'credentials.kubeconfig';
    if (health.status === 'unreachable') throw new HttpError(409, 'conflict', `Account '${account.name}' is ${describeHealth(health)}.`, field);
  };

  registerEndpoint(app, getAccount, async ({ params }) => requireAccount(repos, params.account));

  registerEndpoint(app, getAccountHealth, async ({ params }) => healthOf(await requireAccount(repos, params.account)));

  registerEndpoint(app, createAccount, async ({ body, actor }) => {
    const { credentials: given, metrics, ...settings } = body;
    const account = Account.parse({ ...settings, ...(metrics ? { metrics: metricsOf(metrics) } : {}), demo: false, disabled: false });
    checkEndpoint(account);
    if (await repos.accounts.get(account.name)) throw new HttpError(409, 'conflict', `Account '${account.name}' already exists.`, 'name');
    const token = metrics?.prometheus.token;
    const credentials = token ? { ...given, prometheusToken: token } : given;
    await requireReachable(account, credentials);
    return repos.accounts.create(account, credentials, { at: now().toISOString(), by: actor });
  });

  registerEndpoint(app, updateAccount, async ({ params, body, actor }) => {
    const current = await requireAccount(repos, params.account);
    const next = Account.parse({
      ...current,
      ...(body.environment !== undefined ? { environment: body.environment } : {}),
      ...(body.regions !== undefined ? { regions: body.regions } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
      ...(body.endpoint !== undefined ? { endpoint: body.endpoint } : {}),
      ...(body.metrics !== undefined ? { metrics: body.metrics ? metricsOf(body.metrics) : undefined } : {}),
    });
    checkEndpoint(next);
    const removed = body.regions ? current.regions.filter((r) => !next.regions.includes(r)) : [];
    if (removed.length > 0) {
      const running = (await repos.accounts.serverGroupsIn(current.name)).filter((g) => removed.some((r) => g.startsWith(`${r}/`)));
      if (running.length > 0) throw new HttpError(409, 'conflict', `Server groups still run in the regions you removed: ${running.join(', ')}.`, 'regions');
    }
    const endpointChanged = JSON.stringify(next.endpoint) !== JSON.stringify(current.endpoint);
    const credentials = await changedCredentials(repos, current.name, body);
    if (endpointChanged || credentials) await requireReachable(next, credentials ?? (await repos.accounts.credentials(current.name)));
    await repos.accounts.upsert(next);
    if (credentials !== undefined) await repos.accounts.setCredentials(current.name, credentials, { at: now().toISOString(), by: actor });
    return requireAccount(repos, current.name);
  });

  registerEndpoint(app, deleteAccount, async ({ params }) => {
    await requireAccount(repos, params.account);
    const running = await repos.accounts.serverGroupsIn(params.account);
    if (running.length > 0) {
      throw new HttpError(409, 'conflict', `Account '${params.account}' still runs server groups: ${running.join(', ')}. Destroy them first.`, 'account');
    }
    await repos.accounts.remove(params.account);
    return { ok: true as const };
  });
}
