import { beforeEach, describe, expect, it } from 'vitest';
import type { Grant } from '../../shared/domain/user';
import type { TriggerRecord } from '../../shared/domain/execution';
import { ServerGroup } from '../../shared/domain/server-group';
import { serverGroup } from '../../db/test-builders';
import { MANUAL, useEngineTest } from '../test-engine';

const t = useEngineTest();
const manualBy = (user: string): TriggerRecord => ({ type: 'manual', user, parameters: {} });
const PROD = { account: 'prod', region: 'east' };

async function personWith(name: string, grants: Grant[]) {
  await t.repos.users.saveRole({ name: `${name}-role`, description: '', members: [], grants });
  await t.repos.users.create({ name, displayName: name, passwordHash: '!', admin: false, createdAt: '2026-11-01T00:00:00.000Z' });
  await t.repos.users.update(name, { roles: [`${name}-role`] });
}
const grant = (resourceType: Grant['resourceType'], resource: string, permission: Grant['permission']): Grant => ({ resourceType, resource, permission });

async function runOnce(type: string, config: Record<string, unknown>, trigger: TriggerRecord) {
  const e = t.engine();
  const { id } = await e.start(await t.pipeline([{ refId: 's', type, name: 'Op', config }]), trigger);
  await e.tick();
  return (await t.repos.executions.get(id))!.stages[0]!;
}

// Every stage that acts on a cluster of the run's application, with what it tells a refused person.
const families = [
  { type: 'enableServerGroup', what: 'enabling a server group of cluster', config: { target: 'newest' }, namesGroups: true },
  { type: 'disableServerGroup', what: 'disabling a server group of cluster', config: { target: 'newest' }, namesGroups: true },
  { type: 'resizeServerGroup', what: 'resizing a server group of cluster', config: { target: 'newest', capacity: { min: 0, desired: 0, max: 1 } }, namesGroups: true },
  { type: 'destroyServerGroup', what: 'destroying a server group of cluster', config: { target: 'oldest' }, namesGroups: true },
  { type: 'rollbackCluster', what: 'rolling back cluster', config: {}, namesGroups: false },
  { type: 'scaleDownCluster', what: 'scaling down cluster', config: { remainingFullSizeServerGroups: 0, allowScaleDownActive: true }, namesGroups: false },
];

describe.each(families)('$type: the run acts only where its person may, on its own application', ({ type, what, config, namesGroups }) => {
  let before: ServerGroup[] = [];
  beforeEach(async () => {
    // Display-only groups: a stage that passed every check fails on them, without changing anything.
    before = ['web-api-v001', 'web-api-v002', 'billing-api-v001'].map((name) => serverGroup({ ...PROD, name }));
    for (const g of before) await t.repos.serverGroups.save(g);
    await personWith('dev', [grant('application', 'web', 'EXECUTE'), grant('account', 'staging', 'EXECUTE')]);
    await personWith('support', [grant('application', 'web', 'READ'), grant('account', '*', 'EXECUTE')]);
    await personWith('ops', [grant('application', 'web', 'EXECUTE'), grant('account', 'prod', 'EXECUTE')]);
  });
  const on = (extra: Record<string, unknown>) => ({ ...PROD, cluster: 'web-api', ...config, ...extra });
  const untouched = async () => {
    for (const g of before) expect(await t.repos.serverGroups.get(g)).toEqual(g);
  };

  it('refuses a person without EXECUTE on the target account, naming them, the permission and the account', async () => {
    const stage = await runOnce(type, on({}), manualBy('dev'));
    expect(stage.status).toBe('TERMINAL');
    expect(stage.error).toBe(`dev lacks EXECUTE permission on application 'web' and account 'prod', which ${what} 'web-api' needs; this run acts for dev.`);
    await untouched();
  });

  it('refuses a READ-only person on the application even with every account', async () => {
    const stage = await runOnce(type, on({}), manualBy('support'));
    expect(stage.error).toBe(`support lacks EXECUTE permission on application 'web' and account 'prod', which ${what} 'web-api' needs; this run acts for support.`);
  });

  it("refuses another application's cluster, even for an admin", async () => {
    const stage = await runOnce(type, on({ cluster: 'billing-api' }), MANUAL);
    expect(stage.status).toBe('TERMINAL');
    expect(stage.error).toBe(
      `Refused ${what} 'billing-api': a run of application 'web' acts only on its own server groups, and cluster 'billing-api' in prod/east belongs to application 'billing'.`,
    );
    await untouched();
  });

  it('passes the checks for a person with EXECUTE on the application and the account', async () => {
    const stage = await runOnce(type, on({}), manualBy('ops'));
    expect(stage.error ?? '').not.toMatch(/lacks|Refused/);
    await untouched();
  });

  // Only stage types that name a server group have this case; runIf would report it skipped for the others.
  // oxlint-disable-next-line vitest/no-conditional-tests
  if (namesGroups) {
    it("refuses a named server group stored for another application, though its name looks like this one's", async () => {
      await t.repos.serverGroups.save(ServerGroup.parse({ ...serverGroup({ ...PROD, name: 'web-api-v003' }), application: 'billing' }));
      const stage = await runOnce(type, on({ serverGroup: 'web-api-v003' }), MANUAL);
      expect(stage.error).toBe(
        `Refused ${what} 'web-api': a run of application 'web' acts only on its own server groups, and server group 'web-api-v003' in prod/east belongs to application 'billing'.`,
      );
    });
  }
});

describe('check preconditions: reading a cluster needs READ on its application', () => {
  const size = (cluster: string) => ({ preconditions: [{ type: 'clusterSize', ...PROD, cluster, comparison: '>=', expected: 1 }] });
  beforeEach(async () => {
    await t.repos.serverGroups.save(serverGroup({ ...PROD, name: 'billing-api-v001' }));
    await personWith('dev', [grant('application', 'web', 'EXECUTE')]);
    await personWith('peer', [grant('application', 'web', 'EXECUTE'), grant('application', 'billing', 'READ')]);
  });

  it("fails, telling nothing of the cluster, when the run's person may not read the other application", async () => {
    const stage = await runOnce('checkPreconditions', size('billing-api'), manualBy('dev'));
    expect(stage.status).toBe('TERMINAL');
    expect(stage.error).toBe("dev lacks READ permission on application 'billing', which checking the size of cluster 'billing-api' needs; this run acts for dev.");
  });

  it('reads the other application’s cluster for a person with READ there', async () => {
    const stage = await runOnce('checkPreconditions', size('billing-api'), manualBy('peer'));
    expect(stage.status).toBe('SUCCEEDED');
    expect(stage.outputs).toEqual({ checked: ['billing-api size 1 >= 1'] });
  });
});
