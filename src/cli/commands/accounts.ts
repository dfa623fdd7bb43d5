import { readFileSync } from 'node:fs';
import { createAccount, deleteAccount, getAccount, getAccountHealth, updateAccount } from '../../shared/api/accounts';
import { listAccounts } from '../../shared/api/clusters';
import { AccountProvider, describeHealth, Environment, type Account } from '../../shared/domain/account';
import { defineCommand } from '../command';
import { EXIT, usageError } from '../io';
import { print, table } from '../output';

const state = (a: Account) => (a.disabled ? 'disabled' : 'enabled');
const credentialsLine = (a: Account) => (a.credentials ? `set on ${a.credentials.setAt.slice(0, 10)} by ${a.credentials.setBy}` : 'none');

function readPem(path: unknown, option: string): string | undefined {
  if (typeof path !== 'string') return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw usageError(`${option}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

const toggle = (disabled: boolean) =>
  defineCommand({
    words: ['account', disabled ? 'disable' : 'enable'],
    args: ['NAME'],
    summary: disabled ? 'Stop new deploys to an account (what runs there keeps running; admins only)' : 'Let an account take deploys again (admins only)',
    async run({ io, client, positionals, json }) {
      const account = await client(updateAccount, { params: { account: positionals[0]! }, body: { disabled } });
      print(io, json, account, () => `Account ${account.name} is ${state(account)}.\n`);
      return EXIT.ok;
    },
  });

export const accountCommands = [
  defineCommand({
    words: ['account', 'list'],
    args: [],
    summary: 'Accounts with their provider, environment, regions and state',
    async run({ io, client, json }) {
      const accounts = await client(listAccounts, {});
      print(io, json, accounts, () =>
        accounts.length === 0
          ? 'No accounts yet. An admin adds one with: kiln account add NAME --provider local --region local\n'
          : table(
              ['ACCOUNT', 'PROVIDER', 'ENVIRONMENT', 'REGIONS', 'STATE', 'ENDPOINT'],
              accounts.map((a) => [a.name, a.provider, a.environment, a.regions.join(','), state(a), a.endpoint.dockerHost ?? '-']),
            ),
      );
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['account', 'get'],
    args: ['NAME'],
    summary: "One account and its health, checked now (reachable with the engine's version, or why not)",
    async run({ io, client, positionals, json }) {
      const params = { account: positionals[0]! };
      const account = await client(getAccount, { params });
      const health = await client(getAccountHealth, { params });
      print(io, json, { ...account, health }, () =>
        [
          `Account:      ${account.name}${account.demo ? ' (demo)' : ''}`,
          `Provider:     ${account.provider}`,
          `Environment:  ${account.environment}`,
          `Regions:      ${account.regions.join(', ')}`,
          `State:        ${state(account)}`,
          ...(account.endpoint.dockerHost ? [`Docker host:  ${account.endpoint.dockerHost}${account.endpoint.tls ? ' (TLS)' : ''}`] : []),
          `Credentials:  ${credentialsLine(account)}`,
          `Health:       ${describeHealth(health)}`,
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['account', 'add'],
    args: ['NAME'],
    summary: 'Add an account (admins only); a docker account must answer at its docker host',
    options: {
      provider: { type: 'string' },
      region: { type: 'string', multiple: true },
      environment: { type: 'string' },
      'docker-host': { type: 'string' },
      tls: { type: 'boolean' },
      'tls-ca': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      kubeconfig: { type: 'string' },
      'kubeconfig-path': { type: 'string' },
      context: { type: 'string' },
      namespaces: { type: 'string' },
      registry: { type: 'string' },
      'registry-user': { type: 'string' },
      'registry-password-file': { type: 'string' },
      prometheus: { type: 'string' },
      'prometheus-token-file': { type: 'string' },
    },
    optionHelp: [
      '--provider local|docker|qemu|kubernetes  where server groups run (required; qemu: VMs on this machine; kubernetes is experimental)',
      '--region R                a region; repeat for more (at least one)',
      '--environment E           prod, staging, test, dev or other (default other)',
      '--docker-host URL         unix:///run/podman/podman.sock or tcp://host:2376 (docker accounts)',
      '--tls                     speak TLS to a tcp:// host; --tls-ca FILE, --tls-cert FILE, --tls-key FILE',
      '--kubeconfig FILE         kubernetes: a kubeconfig on this machine, sent and stored write-only',
      '--kubeconfig-path PATH    kubernetes: or a kubeconfig file on the Kiln server',
      '--context NAME            kubernetes: the kubeconfig context (default: its current one)',
      "--namespaces A,B          kubernetes: the namespaces deployed to (the account's regions)",
      '--registry HOST/PATH      kubernetes, docker: the registry the cluster or engine pulls images from (Kiln pushes them there first)',
      '--registry-user NAME      the registry user; --registry-password-file FILE its password (sent and stored write-only)',
      '--prometheus URL          kubernetes: the Prometheus canary analysis reads (default queries: http_requests_total by kiln_io_server_group)',
      '--prometheus-token-file FILE  its bearer token (sent and stored write-only)',
    ],
    async run({ io, client, values, positionals, json }) {
      const provider = AccountProvider.safeParse(values.provider);
      if (!provider.success)
        throw usageError(
          values.provider === undefined
            ? '--provider is required: local, docker, qemu or kubernetes'
            : `--provider must be local, docker, qemu or kubernetes, not '${String(values.provider)}'`,
        );
      const namespaces =
        typeof values.namespaces === 'string'
          ? values.namespaces
              .split(',')
              .map((n) => n.trim())
              .filter(Boolean)
          : [];
      const regions = [...((values.region as string[] | undefined) ?? []), ...namespaces];
      if (regions.length === 0) throw usageError(provider.data === 'kubernetes' ? '--namespaces is required' : '--region is required (repeat it for several regions)');
      const kubeconfig = readPem(values.kubeconfig, '--kubeconfig');
      // A file, never an argument: a password on the command line is visible to everyone running ps.
      const registryPassword = readPem(values['registry-password-file'], '--registry-password-file')?.replace(/\r?\n$/, '');
      const registryUser = typeof values['registry-user'] === 'string' ? values['registry-user'] : undefined;
      if ((registryUser === undefined) !== (registryPassword === undefined)) throw usageError('--registry-user and --registry-password-file go together');
      const prometheusToken = readPem(values['prometheus-token-file'], '--prometheus-token-file')?.replace(/\r?\n$/, '');
      if (prometheusToken !== undefined && typeof values.prometheus !== 'string') throw usageError('--prometheus-token-file needs --prometheus');
      const environment = values.environment === undefined ? undefined : Environment.safeParse(values.environment);
      if (environment && !environment.success) throw usageError(`--environment must be one of ${Environment.options.join(', ')}`);
      const tlsCert = readPem(values['tls-cert'], '--tls-cert');
      const tlsKey = readPem(values['tls-key'], '--tls-key');
      const tlsCaCert = readPem(values['tls-ca'], '--tls-ca');
      const account = await client(createAccount, {
        body: {
          name: positionals[0]!,
          provider: provider.data,
          regions,
          ...(environment ? { environment: environment.data } : {}),
          endpoint: {
            ...(typeof values['docker-host'] === 'string' ? { dockerHost: values['docker-host'] } : {}),
            ...(values.tls ? { tls: true } : {}),
            ...(tlsCaCert ? { tlsCaCert } : {}),
            ...(typeof values['kubeconfig-path'] === 'string' ? { kubeconfigPath: values['kubeconfig-path'] } : {}),
            ...(typeof values.context === 'string' ? { context: values.context } : {}),
            ...(typeof values.registry === 'string' ? { registry: values.registry } : {}),
          },
          ...(typeof values.prometheus === 'string' ? { metrics: { prometheus: { url: values.prometheus, ...(prometheusToken ? { token: prometheusToken } : {}) } } } : {}),
          ...(tlsCert || tlsKey || kubeconfig || registryUser !== undefined
            ? {
                credentials: {
                  ...(tlsCert ? { tlsCert } : {}),
                  ...(tlsKey ? { tlsKey } : {}),
                  ...(kubeconfig ? { kubeconfig } : {}),
                  ...(registryUser !== undefined ? { registryUsername: registryUser, registryPassword } : {}),
                },
              }
            : {}),
        } as never,
      });
      print(io, json, account, () => `Added ${account.provider} account ${account.name} (${account.environment}; regions ${account.regions.join(', ')}).\n`);
      return EXIT.ok;
    },
  }),
  toggle(true),
  toggle(false),
  defineCommand({
    words: ['account', 'remove'],
    args: ['NAME'],
    summary: 'Remove an account (admins only); refused while server groups run there',
    async run({ io, client, positionals, json }) {
      const result = await client(deleteAccount, { params: { account: positionals[0]! } });
      print(io, json, result, () => `Removed account ${positionals[0]}.\n`);
      return EXIT.ok;
    },
  }),
];
