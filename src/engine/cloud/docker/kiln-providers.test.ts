import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Account } from '../../../shared/domain/account';
import { openTestDatabase, type TestDatabase } from '../../../db/test-database';
import { bakeryPaths } from '../../bakery/store';
import { type FakeApiServer, startFakeApiServer } from '../kubernetes/fake-api-server';
import type { CloudProvider } from '../provider';
import type { Providers } from '../providers';
import { kilnProviders } from './kiln-providers';

// kilnProviders loads each provider's module when the first account of its kind is used (so a Kiln
// with local accounts only never loads the Docker or Kubernetes client): the accounts work as before.
let t: TestDatabase;
let dir: string;
let api: FakeApiServer | undefined;
let providers: Providers;
const TOKEN = 'k8s-token-0123456789';

beforeEach(async () => {
  t = await openTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'kiln-providers-'));
  providers = kilnProviders({ repos: t.repos, local: { kind: 'local' } as CloudProvider, cloudDir: join(dir, 'cloud'), bakery: bakeryPaths(dir), log: () => {} });
});
afterEach(async () => {
  await providers.close();
  await api?.close();
  api = undefined;
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const kubeconfig = (server: string, user: string) =>
  [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: fake',
    '  cluster:',
    `    server: ${server}`,
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: kiln',
    '  user:',
    `    ${user}`,
    'contexts:',
    '- name: fake',
    '  context: {cluster: fake, user: kiln}',
    'current-context: fake',
  ].join('\n');

async function kubernetesAccount(name: string, text: string) {
  const account = Account.parse({ name, provider: 'kubernetes', environment: 'dev', regions: ['east'], demo: false, endpoint: {} });
  await t.repos.accounts.create(account, { kubeconfig: text }, { at: new Date().toISOString(), by: 'admin' });
}

describe("a running Kiln's providers, each loaded on first use", () => {
  it('makes a Kubernetes provider for a kubernetes account, once, adopting what its cluster runs', async () => {
    api = await startFakeApiServer({ images: {}, tokens: { [TOKEN]: { name: 'kiln', namespaces: ['east'] } } });
    await kubernetesAccount('k8s', kubeconfig(api.url, `token: ${TOKEN}`));
    const first = await providers('k8s');
    expect(first.kind).toBe('kubernetes');
    expect(await providers('k8s')).toBe(first);
    expect(api.requests.some((r) => r.includes('/namespaces/east/replicasets'))).toBe(true);
    expect(providers.leases()).toEqual([]);
  });

  it('refuses a kubernetes account whose kubeconfig cannot be used with the same words as before, naming the account', async () => {
    await kubernetesAccount('k8s-file', kubeconfig('https://127.0.0.1:6443', 'token-file: /etc/hostname'));
    await expect(providers('k8s-file')).rejects.toMatchObject({
      kind: 'bad_request',
      field: 'account',
      message:
        "account 'k8s-file': the kubeconfig cannot be used: an inline kubeconfig must carry its secrets inline (token, *-data), not name a file on the Kiln server (token-file)",
    });
  });

  it('makes a VM provider for a qemu account', async () => {
    await t.repos.accounts.upsert(Account.parse({ name: 'vms', provider: 'qemu', environment: 'dev', regions: ['east'], demo: false }));
    const vms = await providers('vms');
    expect(vms.kind).toBe('qemu');
    expect(await providers('vms')).toBe(vms);
  });

  it('refuses a docker account whose engine is not there, naming the account and the engine', async () => {
    const socket = join(dir, 'no-engine.sock');
    await t.repos.accounts.upsert(
      Account.parse({ name: 'lab', provider: 'docker', environment: 'dev', regions: ['east'], demo: false, endpoint: { dockerHost: `unix://${socket}` } }),
    );
    await expect(providers('lab')).rejects.toMatchObject({ kind: 'conflict', message: `account 'lab': the container engine at unix://${socket} failed: connect ENOENT ${socket}` });
  });
});
