import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { Account } from '../../shared/domain/account';
import { sampleAppArchive } from '../cloud/docker/test-image';
import { accountRegistryPublisher } from './publish-image';
import { registryClient } from './registry-client';
import { registryOrSkip, TEST_REGISTRY, TEST_REGISTRY_PASSWORD, TEST_REGISTRY_USER, uniqueName } from './test-registry';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const account = (registry?: string): Account =>
  Account.parse({ name: 'k8s', provider: 'kubernetes', environment: 'test', regions: ['east'], demo: false, endpoint: registry ? { registry } : {} });

describe('publishing an image to an account’s registry', () => {
  const db = useTestDatabase();

  it('an account without a registry publishes nothing', () => {
    expect(accountRegistryPublisher({ repos: db().repos, account: account() })).toBeUndefined();
  });

  it('an image with no OCI archive on this server is refused naming it', async () => {
    const publisher = accountRegistryPublisher({ repos: db().repos, account: account('registry.test/team') })!;
    await expect(publisher.publish({ ref: { name: 'shop', version: 'v2' }, tag: 'kiln/shop:v2' })).rejects.toThrow(
      "image 'shop:v2' has no OCI archive on this Kiln server, so it cannot be pushed to registry.test/team",
    );
  });

  describe.skipIf(registryOrSkip())('to a real registry', () => {
    it('pushes under a path prefix, records the manifest digest on the image version, and never logs the password', async () => {
      const { repos } = db();
      const team = uniqueName('team');
      const registry = `${TEST_REGISTRY}/${team}`;
      const lines: string[] = [];
      const publisher = accountRegistryPublisher({
        repos,
        account: account(registry),
        credentials: { registryUsername: TEST_REGISTRY_USER, registryPassword: TEST_REGISTRY_PASSWORD },
        log: (l) => lines.push(l),
      })!;
      const image = { ref: { name: 'shop', version: 'v3' }, tag: 'kiln/shop:v3', archive: await sampleAppArchive() };
      const pushed = await publisher.publish(image);
      expect(pushed).toMatchObject({ name: 'shop', version: 'v3', registry, repository: `${TEST_REGISTRY}/${team}/shop` });
      expect(await repos.imagePushes.list('shop', 'v3')).toEqual([pushed]);

      const stored = await registryClient({ registry: TEST_REGISTRY!, username: TEST_REGISTRY_USER, password: TEST_REGISTRY_PASSWORD }).getManifest(`${team}/shop`, 'v3');
      expect(stored?.digest).toBe(pushed.digest);
      // A deploy pushes again: nothing is uploaded twice and the record keeps the same digest.
      expect((await publisher.publish(image)).digest).toBe(pushed.digest);
      expect(lines.filter((l) => l.includes('uploaded'))).toHaveLength(2);
      expect(lines.filter((l) => l.includes('already in'))).toHaveLength(2);
      expect(lines.join('\n')).not.toContain(TEST_REGISTRY_PASSWORD);
    });

    it('wrong registry credentials fail the push with the account and the registry’s reason, recording nothing', async () => {
      const { repos } = db();
      const wrong = 'not-the-password-1234';
      const publisher = accountRegistryPublisher({
        repos,
        account: account(`${TEST_REGISTRY}/${uniqueName('team')}`),
        credentials: { registryUsername: TEST_REGISTRY_USER, registryPassword: wrong },
      })!;
      const err = (await publisher.publish({ ref: { name: 'shop', version: 'v1' }, tag: 'x', archive: await sampleAppArchive() }).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/^account 'k8s' cannot push 'shop:v1': registry 127\.0\.0\.1:\d+ refused .*HTTP 401/);
      expect(err.message).not.toContain(wrong);
      expect(await repos.imagePushes.list('shop', 'v1')).toEqual([]);
    });
  });
});
