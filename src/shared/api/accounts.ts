import { z } from 'zod';
import { endpoint } from './endpoint';
import { AccountName, RegionName } from '../domain/ids';
import { AccountMetricsInput } from '../domain/account-metrics';
import { Account, AccountCredentials, AccountEndpoint, AccountHealth, AccountProvider, Environment } from '../domain/account';

export const AccountParams = z.object({ account: AccountName });

const Regions = z.array(RegionName).min(1, 'an account needs at least one region').max(50);

export const NewAccount = z.object({
  name: AccountName,
  provider: AccountProvider,
  environment: Environment.default('other'),
  regions: Regions,
  endpoint: AccountEndpoint.default({}),
  credentials: AccountCredentials.optional(),
  /** Kubernetes: the Prometheus canary analysis reads; its token is stored write-only with the credentials. */
  metrics: AccountMetricsInput.optional(),
});
export type NewAccount = z.infer<typeof NewAccount>;

export const AccountChanges = z.object({
  environment: Environment.optional(),
  regions: Regions.optional(),
  disabled: z.boolean().optional(),
  endpoint: AccountEndpoint.optional(),
  /** New credentials replace the stored ones; null removes them; leaving it out keeps them. */
  credentials: AccountCredentials.nullable().optional(),
  /**
   * Sets only the registry login (null removes it), keeping the other stored credentials (a token,
   * a kubeconfig) that the dashboard cannot read back to send again.
   */
  registryLogin: z
    .object({ username: z.string().trim().min(1, 'a registry user is needed').max(500), password: z.string().min(1, 'a registry password is needed').max(5_000) })
    .nullable()
    .optional(),
  /** Sets only the access token (a docker engine's), keeping the registry login and TLS key stored beside it. */
  token: z.string().min(1, 'a token is needed').max(5_000).optional(),
  /** Replaces the metrics source (null removes it and its token); a token left out stays as stored. */
  metrics: AccountMetricsInput.nullable().optional(),
});
export type AccountChanges = z.infer<typeof AccountChanges>;

export const getAccount = endpoint({
  method: 'GET',
  path: '/api/accounts/:account',
  summary: 'One account: provider, regions, environment, endpoint and whether credentials are set (never the credentials)',
  params: AccountParams,
  response: Account,
});

export const getAccountHealth = endpoint({
  method: 'GET',
  path: '/api/accounts/:account/health',
  summary: "Calls the account's engine now: reachable with its version, or unreachable with the reason",
  params: AccountParams,
  response: AccountHealth,
});

export const createAccount = endpoint({
  method: 'POST',
  path: '/api/accounts',
  summary: 'Add an account (admins only)',
  body: NewAccount,
  response: Account,
  status: 201,
});

export const updateAccount = endpoint({
  method: 'PATCH',
  path: '/api/accounts/:account',
  summary: "Change an account's environment, regions, endpoint or credentials, or disable it (admins only)",
  params: AccountParams,
  body: AccountChanges,
  response: Account,
});

export const deleteAccount = endpoint({
  method: 'DELETE',
  path: '/api/accounts/:account',
  summary: 'Remove an account; refused while server groups run there (admins only)',
  params: AccountParams,
  response: z.object({ ok: z.literal(true) }),
});

export const accountEndpoints = { getAccount, getAccountHealth, createAccount, updateAccount, deleteAccount };
