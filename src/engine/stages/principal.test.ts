import { describe, expect, it } from 'vitest';
import type { Grant } from '../../shared/domain/user';
import type { TriggerRecord } from '../../shared/domain/execution';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { LoadBalancer } from '../../shared/domain/load-balancer';
import { loadBalancer } from '../../db/test-builders';
import { MANUAL, useEngineTest } from '../test-engine';

const t = useEngineTest();
const manualBy = (user: string): TriggerRecord => ({ type: 'manual', user, parameters: {} });

/** A person whose one role grants exactly `grants`. */
async function personWith(name: string, grants: Grant[]) {
  await t.repos.users.saveRole({ name: `${name}-role`, description: '', members: [], grants });
  await t.repos.users.create({ name, displayName: name, passwordHash: '!', admin: false, createdAt: '2026-11-01T00:00:00.000Z' });
  await t.repos.users.update(name, { roles: [`${name}-role`] });
}
const webExecute: Grant = { resourceType: 'application', resource: 'web', permission: 'EXECUTE' };
const deploy = (config: Record<string, unknown>) => ({
  refId: 'd',
  type: 'deploy',
  name: 'Deploy',
  config: { account: 'prod', region: 'east', stack: 'prod', image: 'sample-app:v1', capacity: { min: 1, desired: 1, max: 1 }, ...config },
});

const billingPipeline = () =>
  t.repos.pipelines.create(PipelineDraft.parse({ application: 'billing', name: 'Invoice run', stages: [{ refId: 'w', type: 'wait', name: 'W', config: { seconds: 1 } }] }), 'ana');

async function runOnce(stages: unknown[], trigger: TriggerRecord) {
  const e = t.engine();
  const { id } = await e.start(await t.pipeline(stages), trigger);
  await e.tick();
  return (await t.repos.executions.get(id))!;
}

describe("deploy: the account and the load balancers must be the run's to use", () => {
  it("fails before touching anything when the run's person lacks EXECUTE on the target account", async () => {
    await personWith('dev', [webExecute, { resourceType: 'account', resource: 'staging', permission: 'EXECUTE' }]);
    const run = await runOnce([deploy({ account: 'prod' })], manualBy('dev'));
    expect(run.status).toBe('TERMINAL');
    expect(run.stages[0]!.error).toBe("dev lacks EXECUTE permission on application 'web' and account 'prod', which deploying to account 'prod' needs; this run acts for dev.");
    expect(await t.repos.serverGroups.listByApplication('web')).toEqual([]);
    // The same person may deploy to staging: the checks pass (this test engine has no cloud to deploy on).
    const staging = await runOnce([deploy({ account: 'staging', stack: 'staging' })], manualBy('dev'));
    expect(staging.stages[0]!.error).toContain('without a cloud provider');
  });

  it('refuses a run whose person no longer exists or is disabled', async () => {
    expect((await runOnce([deploy({})], manualBy('gone'))).stages[0]!.error).toMatch(/^gone \(no such user\) lacks EXECUTE/);
    await personWith('left', [webExecute, { resourceType: 'account', resource: '*', permission: 'EXECUTE' }]);
    await t.repos.users.update('left', { disabled: true });
    expect((await runOnce([deploy({})], manualBy('left'))).stages[0]!.error).toMatch(/^left \(disabled\) lacks EXECUTE/);
  });

  it("refuses another application's load balancer, stored or new, and leaves it as it was", async () => {
    await t.repos.loadBalancers.save(loadBalancer({ account: 'prod', region: 'east', name: 'billing-prod' }, []));
    const run = await runOnce([deploy({ loadBalancers: ['web-prod', 'billing-prod', 'billing-new'] })], MANUAL);
    expect(run.status).toBe('TERMINAL');
    expect(run.stages[0]!.error).toBe(
      "a deploy of application 'web' may only use its own load balancers; 'billing-prod' (application 'billing'), 'billing-new' (application 'billing') in prod/east belong to another application.",
    );
    expect((await t.repos.loadBalancers.get({ account: 'prod', region: 'east', name: 'billing-prod' }))?.application).toBe('billing');
    expect(await t.repos.loadBalancers.get({ account: 'prod', region: 'east', name: 'web-prod' })).toBeUndefined();
  });

  it("refuses a balancer stored for another application even when its name looks like this one's", async () => {
    await t.repos.loadBalancers.save(LoadBalancer.parse({ ...loadBalancer({ account: 'prod', region: 'east', name: 'web-shared' }, []), application: 'billing' }));
    const run = await runOnce([deploy({ loadBalancers: ['web-shared'] })], MANUAL);
    expect(run.stages[0]!.error).toContain("'web-shared' (application 'billing')");
  });
});

describe("run pipeline: the child application must be the run's to execute", () => {
  it("fails when the run's person lacks EXECUTE on the child pipeline's application, and starts nothing", async () => {
    await personWith('dev', [webExecute]);
    const child = await billingPipeline();
    const run = await runOnce([{ refId: 'c', type: 'pipeline', name: 'Bill', config: { application: 'billing', pipeline: child.name } }], manualBy('dev'));
    expect(run.stages[0]!.status).toBe('TERMINAL');
    expect(run.stages[0]!.error).toBe("dev lacks EXECUTE permission on application 'billing', which running a pipeline of application 'billing' needs; this run acts for dev.");
    expect((await t.repos.executions.list('billing', { limit: 10 })).executions).toEqual([]);
  });

  it('starts the child when the person holds EXECUTE there', async () => {
    await personWith('dev', [webExecute, { resourceType: 'application', resource: 'billing', permission: 'EXECUTE' }]);
    const child = await billingPipeline();
    const run = await runOnce(
      [{ refId: 'c', type: 'pipeline', name: 'Bill', config: { application: 'billing', pipeline: child.name, waitForCompletion: false } }],
      manualBy('dev'),
    );
    expect(run.stages[0]!.error).toBeUndefined();
    expect(run.stages[0]!.status).toBe('SUCCEEDED');
  });

  it("refuses a child last changed by someone without EXECUTE there (a WRITE-only edit is not run with the runner's rights)", async () => {
    await personWith('walt', [{ resourceType: 'application', resource: 'billing', permission: 'WRITE' }]);
    const child = await billingPipeline();
    const edited = (await t.repos.pipelines.save(
      child.id,
      child.revision,
      PipelineDraft.parse({ ...child, stages: [{ refId: 'w', type: 'wait', name: 'W', config: { seconds: 2 } }] }),
      'walt',
    ))!;
    expect(edited.updatedBy).toBe('walt');
    const run = await runOnce([{ refId: 'c', type: 'pipeline', name: 'Bill', config: { application: 'billing', pipeline: child.name, waitForCompletion: false } }], MANUAL);
    expect(run.stages[0]!.status).toBe('TERMINAL');
    expect(run.stages[0]!.error).toBe(
      "'Invoice run' was last changed by walt, who lacks EXECUTE permission on application 'billing'; a run acting for ana does not run changes made by someone who could not run them — someone with EXECUTE must save it first.",
    );
    expect((await t.repos.executions.list('billing', { limit: 10 })).executions).toEqual([]);
  });
});
