import { createAccount, deleteAccount, getAccount, getAccountHealth, updateAccount } from '../../src/shared/api/accounts';
import { Account } from '../../src/shared/domain/account';
import type { AccountMetricsInput } from '../../src/shared/domain/account-metrics';
import { db } from '../db';
import { conflict, handleEndpoint, notFound } from '../handle-endpoint';

// Mock mode calls no engine: local accounts are reachable, docker ones answer like a Podman would.
const find = (name: string) => {
  const account = db.accounts.find((a) => a.name === name);
  if (!account) throw notFound(`Account '${name}' does not exist.`, 'account');
  return account;
};

/** The metrics source as the API shows it: the token only as who set it and when (kept when none is sent, dropped on null). */
const shownMetrics = (metrics: AccountMetricsInput | null | undefined, current: Account['metrics']): Account['metrics'] => {
  if (!metrics) return undefined;
  const { token, ...prometheus } = metrics.prometheus;
  const stamp = token ? { setAt: new Date().toISOString(), setBy: db.auth.me?.user.name ?? 'admin' } : token === null ? undefined : current?.prometheus.token;
  return { prometheus: { ...prometheus, ...(stamp ? { token: stamp } : {}) } };
};

export const accountHandlers = {
  getAccount: handleEndpoint(getAccount, ({ params }) => find(params.account)),
  getAccountHealth: handleEndpoint(getAccountHealth, ({ params }) => {
    const account = find(params.account);
    const checkedAt = new Date().toISOString();
    const version = account.provider === 'docker' ? 'Podman Engine 5.4.2 (API 1.41)' : account.provider === 'kubernetes' ? 'Kubernetes v1.31.0 (mock)' : 'Kiln local cloud (mock)';
    return { status: 'reachable' as const, version, checkedAt };
  }),
  createAccount: handleEndpoint(createAccount, ({ body }) => {
    if (db.accounts.some((a) => a.name === body.name)) throw conflict(`Account '${body.name}' already exists.`, 'name');
    const { credentials, metrics, ...rest } = body;
    const account = Account.parse({
      ...rest,
      metrics: shownMetrics(metrics, undefined),
      demo: false,
      ...(credentials ? { credentials: { setAt: new Date().toISOString(), setBy: db.auth.me?.user.name ?? 'admin' } } : {}),
    });
    db.accounts.push(account);
    return account;
  }),
  updateAccount: handleEndpoint(updateAccount, ({ params, body }) => {
    const current = find(params.account);
    const { credentials, registryLogin, token, metrics, ...changes } = body;
    const stamp = credentials || registryLogin || token ? { credentials: { setAt: new Date().toISOString(), setBy: db.auth.me?.user.name ?? 'admin' } } : {};
    const next = Account.parse({
      ...current,
      ...changes,
      ...stamp,
      ...(credentials === null ? { credentials: undefined } : {}),
      ...(metrics !== undefined ? { metrics: shownMetrics(metrics, current.metrics) } : {}),
    });
    db.accounts = db.accounts.map((a) => (a.name === current.name ? next : a));
    return next;
  }),
  deleteAccount: handleEndpoint(deleteAccount, ({ params }) => {
    find(params.account);
    const running = db.serverGroups.filter((g) => g.account === params.account).map((g) => `${g.region}/${g.name}`);
    if (running.length > 0) throw conflict(`Account '${params.account}' still runs server groups: ${running.join(', ')}. Destroy them first.`, 'account');
    db.accounts = db.accounts.filter((a) => a.name !== params.account);
    return { ok: true as const };
  }),
};
