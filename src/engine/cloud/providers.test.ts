import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Account } from '../../shared/domain/account';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import type { CloudProvider } from './provider';
import { createProviders, type ClosableProvider } from './providers';

let t: TestDatabase;
beforeEach(async () => {
  t = await openTestDatabase();
});
afterEach(() => t.close());

const local = { kind: 'local' } as CloudProvider;
const dockerAccount = (name: string, dockerHost: string) =>
  Account.parse({ name, provider: 'docker', environment: 'dev', regions: ['east'], demo: false, endpoint: { dockerHost } });

/** Stand-in container providers that say which account and endpoint they were made for. */
function factory() {
  const made: Array<{ account: string; host: string; closed: boolean }> = [];
  const docker = (account: Account): ClosableProvider => {
    const entry = { account: account.name, host: account.endpoint.dockerHost ?? '', closed: false };
    made.push(entry);
    return Object.assign({ kind: 'docker' } as CloudProvider, {
      async close() {
        entry.closed = true;
      },
    });
  };
  return { made, docker };
}

describe('which provider an account deploys with', () => {
  it('sends local accounts to the local cloud and each docker account to a container provider of its own, made once', async () => {
    await t.repos.accounts.upsert(Account.parse({ name: 'home', provider: 'local', environment: 'dev', regions: ['east'], demo: false }));
    await t.repos.accounts.upsert(dockerAccount('lab', 'unix:///run/a.sock'));
    await t.repos.accounts.upsert(dockerAccount('lab2', 'unix:///run/b.sock'));
    const f = factory();
    const providers = createProviders(t.repos, local, { docker: f.docker });
    expect(await providers('home')).toBe(local);
    const lab = await providers('lab');
    expect(lab.kind).toBe('docker');
    expect(await providers('lab')).toBe(lab);
    expect(await providers('lab2')).not.toBe(lab);
    expect(f.made.map((m) => m.account)).toEqual(['lab', 'lab2']);
    await providers.close();
    expect(f.made.every((m) => m.closed)).toBe(true);
  });

  it('makes the provider again when the account moves to another engine, letting go of the old one', async () => {
    await t.repos.accounts.upsert(dockerAccount('lab', 'unix:///run/a.sock'));
    const f = factory();
    const providers = createProviders(t.repos, local, { docker: f.docker });
    const first = await providers('lab');
    await t.repos.accounts.upsert(dockerAccount('lab', 'unix:///run/b.sock'));
    const second = await providers('lab');
    expect(second).not.toBe(first);
    expect(f.made.map((m) => m.host)).toEqual(['unix:///run/a.sock', 'unix:///run/b.sock']);
    await new Promise((r) => setTimeout(r, 0));
    expect(f.made[0]!.closed).toBe(true);
  });

  it('sends each qemu account to a VM provider of its own, and refuses one in a Kiln without a VM provider', async () => {
    await t.repos.accounts.upsert(Account.parse({ name: 'vms', provider: 'qemu', environment: 'dev', regions: ['east'], demo: false }));
    const made: string[] = [];
    const qemu = (account: Account): ClosableProvider => {
      made.push(account.name);
      return Object.assign({ kind: 'qemu' } as CloudProvider, { async close() {} });
    };
    const providers = createProviders(t.repos, local, { qemu });
    expect((await providers('vms')).kind).toBe('qemu');
    expect(await providers('vms')).toBe(await providers('vms'));
    expect(made).toEqual(['vms']);
    await expect(createProviders(t.repos, local)('vms')).rejects.toMatchObject({ field: 'account', message: "account 'vms' is a qemu account, and this Kiln runs no VM provider" });
  });

  it('refuses an unknown account, and a docker account in a Kiln without a container provider, naming the account', async () => {
    await t.repos.accounts.upsert(dockerAccount('lab', 'unix:///run/a.sock'));
    const providers = createProviders(t.repos, local);
    await expect(providers('nowhere')).rejects.toMatchObject({ kind: 'bad_request', field: 'account', message: "account 'nowhere' does not exist" });
    await expect(providers('lab')).rejects.toMatchObject({ field: 'account', message: "account 'lab' is a docker account, and this Kiln runs no container provider" });
  });
});
