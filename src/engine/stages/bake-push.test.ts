import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Account } from '../../shared/domain/account';
import type { Execution } from '../../shared/domain/execution';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { RecipeDraft } from '../../shared/domain/recipe';
import { createOwners, createTestRunner } from '../../db/test-builders';
import { openTestDatabase } from '../../db/test-database';
import type { Repositories } from '../../db/types';
import { parseBakeLine } from '../bakery/bake-log';
import { SAMPLE_APP } from '../bakery/test-bakery';
import { createEventBus } from '../events/event-bus';
import { createEngine, type Engine } from '../index';
import { registryClient } from '../registry-push/registry-client';
import { registryOrSkip, TEST_REGISTRY, TEST_REGISTRY_PASSWORD, TEST_REGISTRY_USER, uniqueName } from '../registry-push/test-registry';

// A bake stage with `push: [account…]` pushes the version it baked to those accounts' registries.
let repos: Repositories;
let close: () => Promise<void>;
let dataDir: string;
let engine: Engine | undefined;
const previousData = process.env.KILN_DATA;
const WRONG = 'not-the-push-password-5';
let registry = '';

beforeEach(async () => {
  ({ repos, close } = await openTestDatabase());
  await createOwners(repos);
  await createTestRunner(repos);
  dataDir = mkdtempSync(join(tmpdir(), 'kiln-bake-push-'));
  process.env.KILN_DATA = dataDir;
  registry = `${TEST_REGISTRY ?? '127.0.0.1:1'}/${uniqueName('bake')}`;
  const stamp = { at: new Date().toISOString(), by: 'ana' };
  for (const [name, password] of [
    ['reg', TEST_REGISTRY_PASSWORD],
    ['wrong', WRONG],
  ] as const)
    await repos.accounts.create(
      Account.parse({ name, provider: 'docker', environment: 'test', regions: ['local'], demo: false, endpoint: { dockerHost: 'unix:///nowhere.sock', registry } }),
      { registryUsername: TEST_REGISTRY_USER, registryPassword: password },
      stamp,
    );
  await repos.recipes.create(
    RecipeDraft.parse({ name: 'svc', builder: 'oci', artifact: { source: SAMPLE_APP, destination: 'server.mjs' }, run: { entrypoint: 'server.mjs' }, tests: { boot: false } }),
    'ana',
  );
});
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
  await close();
  rmSync(dataDir, { recursive: true, force: true });
  if (previousData === undefined) delete process.env.KILN_DATA;
  else process.env.KILN_DATA = previousData;
});

async function bake(push: string[], user = 'ana'): Promise<Execution> {
  engine = createEngine({ repos, events: createEventBus(repos), owner: 'a', tickMs: 50 });
  engine.run();
  const p = await repos.pipelines.create(
    PipelineDraft.parse({ application: 'web', name: `bake ${push.join(',')}`, stages: [{ refId: 'bake', type: 'bake', name: 'Bake', config: { recipe: 'svc', push } }] }),
    'ana',
  );
  const { id } = await engine.start(p, { type: 'manual', user, parameters: {} });
  const end = Date.now() + 60_000;
  for (;;) {
    const e = (await repos.executions.get(id))!;
    if (['SUCCEEDED', 'TERMINAL'].includes(e.status)) return e;
    if (Date.now() > end) throw new Error(`the bake stayed ${e.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const logOf = async (e: Execution) => (await repos.executionLogs.read(e.id, { refId: 'bake', after: 0, limit: 1000 })).map((l) => l.line);

describe('a bake stage that pushes what it baked', { timeout: 90_000 }, () => {
  it('refuses before baking when the run’s person may not deploy to the account', async () => {
    await repos.users.create({ name: 'eve', displayName: 'eve', passwordHash: 'x', admin: false, createdAt: new Date().toISOString() });
    await repos.users.saveRole({ name: 'eve-role', description: '', members: ['eve'], grants: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }] });
    const done = await bake(['reg'], 'eve');
    expect(done.status).toBe('TERMINAL');
    expect(done.stages[0]!.error).toBe("push: eve lacks EXECUTE permission on account 'reg', which pushing to account 'reg' needs; this run acts for eve.");
    expect(await repos.images.resolve('svc:v1')).toBeUndefined();
  });

  describe.skipIf(registryOrSkip())('to a real registry', () => {
    it('pushes after a successful bake, with the push lines in the bake log, and records where it went', async () => {
      const done = await bake(['reg']);
      expect(done.status, done.stages[0]!.error).toBe('SUCCEEDED');
      const [push] = await repos.imagePushes.list('svc', 'v1');
      expect(push).toMatchObject({ registry, repository: `${registry}/svc` });
      expect(done.stages[0]!.outputs).toMatchObject({ image: 'svc:v1', pushes: [{ account: 'reg', repository: `${registry}/svc`, digest: push!.digest }] });
      const stored = await registryClient({ registry, username: TEST_REGISTRY_USER, password: TEST_REGISTRY_PASSWORD }).getManifest(`${registry.split('/')[1]}/svc`, 'v1');
      expect(stored?.digest).toBe(push!.digest);
      const lines = await logOf(done);
      const parsed = lines.map(parseBakeLine);
      expect(parsed.some((p) => p?.step === 'push reg' && p.type === 'step' && p.data[0] === 'end')).toBe(true);
      expect(parsed.some((p) => p?.step === 'push reg' && p.data.join(',').includes(`pushed ${registry}/svc:v1 as ${push!.digest}`))).toBe(true);
      expect(lines.join('\n')).not.toContain(TEST_REGISTRY_PASSWORD);
    });

    it('fails the stage naming the account and the registry when the push is refused; the version stays registered', async () => {
      const done = await bake(['wrong']);
      expect(done.status).toBe('TERMINAL');
      expect(done.stages[0]!.error).toMatch(
        /^push: account 'wrong' cannot push 'svc:v1': registry 127\.0\.0\.1:\d+ refused .*HTTP 401.*\(svc:v1 was baked and stays registered\)$/,
      );
      expect(await repos.images.resolve('svc:v1')).toBeDefined();
      const everything = `${(await logOf(done)).join('\n')}\n${JSON.stringify(done)}`;
      expect(everything).not.toContain(WRONG);
      expect(everything).toMatch(/push wrong,ui,error/);
    });
  });
});
