import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../../shared/domain/account';
import { bakeryPaths } from '../../engine/index';
import { sampleAppArchive } from '../../engine/cloud/docker/test-image';
import { registryOrSkip, TEST_REGISTRY, TEST_REGISTRY_PASSWORD, TEST_REGISTRY_USER, uniqueName } from '../../engine/registry-push/test-registry';
import { openTestApp } from '../../server/test-app';
import { EXIT } from '../io';
import { runKiln } from '../test-cli';

const dataDir = mkdtempSync(join(tmpdir(), 'kiln-push-cli-'));
const home = mkdtempSync(join(tmpdir(), 'kiln-push-cli-home-'));
const WRONG = 'wrong-registry-password-77';
let app: Awaited<ReturnType<typeof openTestApp>>;
let kiln: (args: string[]) => ReturnType<typeof runKiln>;

beforeAll(async () => {
  app = await openTestApp({ seed: false, dataDir, signedIn: false });
  const archive = await sampleAppArchive();
  const hex = createHash('sha256').update(readFileSync(archive)).digest('hex');
  copyFileSync(archive, join(bakeryPaths(dataDir).images, `${hex}.oci.tar`));
  await app.repos.images.create(
    { name: 'svc', build: { builder: 'oci', tools: {}, packages: [] }, digest: `sha256:${hex}`, sizeBytes: 1, format: 'oci', artifact: `${hex}.oci.tar` },
    'ci',
  );
  const registry = `${TEST_REGISTRY ?? '127.0.0.1:1'}/${uniqueName('cli')}`;
  const stamp = { at: new Date().toISOString(), by: 'ana' };
  for (const [name, password] of [
    ['reg', TEST_REGISTRY_PASSWORD],
    ['wrong', WRONG],
  ] as const)
    await app.repos.accounts.create(
      Account.parse({ name, provider: 'docker', environment: 'test', regions: ['local'], demo: false, endpoint: { dockerHost: 'unix:///nowhere.sock', registry } }),
      { registryUsername: TEST_REGISTRY_USER, registryPassword: password },
      stamp,
    );
  const url = await app.app.listen({ port: 0, host: '127.0.0.1' });
  kiln = (args) => runKiln(args, { HOME: home, KILN_URL: url, KILN_TOKEN: app.token });
}, 120_000);
afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe('kiln image push', () => {
  it('needs --account and a NAME:VERSION', async () => {
    expect(await kiln(['image', 'push', 'svc:v1'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('--account is required') });
    expect(await kiln(['image', 'push', 'svc', '--account', 'reg'])).toMatchObject({ code: EXIT.usage, err: expect.stringContaining("'svc' is not NAME:VERSION") });
  });

  describe.skipIf(registryOrSkip())('to a real registry', () => {
    it('pushes, prints each blob and where the version went, and shows it in image get; no password anywhere', async () => {
      const run = await kiln(['image', 'push', 'svc:v1', '--account', 'reg']);
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/uploaded \(\d+ bytes\)/);
      expect(run.out).toMatch(/\nPushed svc:v1 to 127\.0\.0\.1:\d+\/cli-[^/]+\/svc@sha256:[a-f0-9]{64}\n$/);
      expect((await kiln(['image', 'get', 'svc'])).out).toMatch(/v1\s+127\.0\.0\.1:\d+\/cli-[^/]+\/svc\s+sha256:/);
      const refused = await kiln(['image', 'push', 'svc:v1', '--account', 'wrong']);
      expect(refused.code).toBe(EXIT.failed);
      expect(refused.err).toMatch(/account 'wrong' cannot push 'svc:v1': registry 127\.0\.0\.1:\d+ refused/);
      expect(`${run.out}${run.err}${refused.out}${refused.err}`).not.toContain(TEST_REGISTRY_PASSWORD);
      expect(refused.err).not.toContain(WRONG);
    });
  });
});
