import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account } from '../../shared/domain/account';
import { serverGroup } from '../../db/test-builders';
import { MANUAL, useEngineTest } from '../test-engine';
import type { CloudProvider } from './provider';
import { startFakeDockerEngine } from './fake-docker-engine';

const t = useEngineTest();
let fake: Awaited<ReturnType<typeof startFakeDockerEngine>>;
beforeAll(async () => {
  fake = await startFakeDockerEngine();
});
afterAll(() => fake.close());

/** A provider that records what it was asked and launches nothing: a refused deploy must ask it nothing. */
function recordingCloud() {
  const calls: string[] = [];
  const provider = new Proxy({} as CloudProvider, {
    // Not a thenable: `await` must hand the provider over, not call it.
    get: (_, method: string) =>
      method === 'then'
        ? undefined
        : async (...args: unknown[]) => {
            calls.push(method);
            if (method === 'getServerGroup') return undefined;
            throw new Error(`${method} ${JSON.stringify(args[0])}: not in this test`);
          },
  });
  return { calls, cloud: async () => provider };
}

const DEPLOY = (account: string) => ({
  refId: 'd',
  type: 'deploy',
  name: 'Deploy',
  config: { account, region: 'east', stack: 'prod', image: 'sample-app:v1', capacity: { min: 1, desired: 1, max: 1 } },
});

async function runDeploy(account: string) {
  const rec = recordingCloud();
  const e = t.engine({ cloud: rec.cloud });
  const { id } = await e.start(await t.pipeline([DEPLOY(account)]), MANUAL);
  await e.tick();
  const done = (await t.repos.executions.get(id))!;
  return { status: done.stages[0]!.status, error: done.stages[0]!.error, calls: rec.calls };
}

describe('which accounts take a deploy', () => {
  it('fails a deploy to a disabled account at once, naming it, and launches nothing', async () => {
    const prod = (await t.repos.accounts.get('prod'))!;
    await t.repos.accounts.upsert({ ...prod, disabled: true });
    const r = await runDeploy('prod');
    expect(r.status).toBe('TERMINAL');
    expect(r.error).toBe("account 'prod' is disabled: it takes no new deploys (what runs there keeps running)");
    expect(r.calls).toEqual([]);
  });

  it('still lets operations reach the groups already running in a disabled account', async () => {
    const prod = (await t.repos.accounts.get('prod'))!;
    await t.repos.accounts.upsert({ ...prod, disabled: true });
    await t.repos.serverGroups.save({ ...serverGroup({ account: 'prod', region: 'east', name: 'web-prod-v001' }, { health: ['up'] }), managedBy: 'local' });
    const rec = recordingCloud();
    const e = t.engine({ cloud: rec.cloud });
    const p = await t.pipeline([{ refId: 'x', type: 'disableServerGroup', name: 'Disable', config: { account: 'prod', region: 'east', cluster: 'web-prod', target: 'newest' } }]);
    const { id } = await e.start(p, MANUAL);
    await e.tick();
    await e.tick();
    const stage = (await t.repos.executions.get(id))!.stages[0]!;
    expect(stage.error ?? '', stage.error).not.toContain('disabled');
    expect(stage.status).not.toBe('NOT_STARTED');
    expect(rec.calls, JSON.stringify(stage)).toContain('disableServerGroup');
  });

  it('fails a deploy to an unreachable docker account at once with the reason', async () => {
    await t.repos.accounts.upsert(
      Account.parse({ name: 'lab', provider: 'docker', environment: 'dev', regions: ['east'], demo: false, endpoint: { dockerHost: 'unix:///nonexistent/kiln/podman.sock' } }),
    );
    const r = await runDeploy('lab');
    expect(r.status).toBe('TERMINAL');
    expect(r.error).toBe("account 'lab' is unreachable: no socket at unix:///nonexistent/kiln/podman.sock");
    expect(r.calls).toEqual([]);
  });

  it('hands a deploy to a reachable docker account to its provider (after asking the engine)', async () => {
    await t.repos.accounts.upsert(
      Account.parse({ name: 'lab', provider: 'docker', environment: 'dev', regions: ['east'], demo: false, endpoint: { dockerHost: fake.dockerHost } }),
    );
    const r = await runDeploy('lab');
    expect(fake.requests).toContain('/version');
    expect(r.calls[0]).toBe('resolveImage');
  });

  it('deploys to an enabled local account as before (the provider is asked)', async () => {
    const r = await runDeploy('prod');
    expect(r.calls[0]).toBe('resolveImage');
  });
});
