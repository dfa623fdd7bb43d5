import { describe, expect, it } from 'vitest';
import { bundleImage } from '../../db/test-builders';
import { useEngineTest } from '../test-engine';

const t = useEngineTest();

/** erin sets the trigger up; `grant` is what her role lets her do on application web. */
async function owner(grant: 'EXECUTE' | 'WRITE' = 'EXECUTE'): Promise<string> {
  await t.repos.users.create({ name: 'erin', displayName: 'erin', passwordHash: 'x', admin: false, createdAt: new Date().toISOString() });
  await t.repos.users.saveRole({ name: 'erin-role', description: '', members: ['erin'], grants: [{ resourceType: 'application', resource: 'web', permission: grant }] });
  return 'erin';
}

/** A pipeline whose one stage records the image version its trigger carried, as a deploy's image field would read it. */
const onImage = async (trigger: Record<string, unknown>) =>
  t.pipeline([{ refId: 'v', type: 'evaluateVariables', name: 'Which', config: { variables: [{ key: 'image', value: '${ trigger.image }:${ trigger.version }' }] } }], {
    concurrency: { limitConcurrent: false },
    triggers: [{ type: 'registry', id: 'r1', setAt: new Date().toISOString(), ...trigger }],
  });

const runsOf = async (pipelineId: string) => (await t.repos.executions.list('web', { limit: 20, pipelineId })).executions;

describe('registry triggers', () => {
  it('a new version starts the pipeline once, with trigger.image and trigger.version, even with two Kiln processes reading the log', async () => {
    const p = await onImage({ image: 'shop', runAs: await owner() });
    const [a, b] = [t.engine({ owner: 'a' }), t.engine({ owner: 'b' })];
    await t.repos.images.create(bundleImage(1), 'ci');
    await t.repos.images.create(bundleImage(1, 'other'), 'ci');
    await a.checkTriggers();
    await b.checkTriggers();
    await a.checkTriggers();
    const runs = await runsOf(p.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.trigger).toMatchObject({ type: 'registry', user: 'erin', image: 'shop', version: 'v1', channel: 'latest' });
    await a.tick();
    expect((await t.repos.executions.get(runs[0]!.id))!.stages[0]!.outputs).toEqual({ image: 'shop:v1' });
  });

  it('a version moved to the watched channel starts it; other channels, and versions the regex does not match, do not', async () => {
    const p = await onImage({ image: 'shop', channel: 'production', versionRegex: 'v[0-9]*[02468]', runAs: await owner() });
    const e = t.engine();
    for (const n of [1, 2, 3]) await t.repos.images.create(bundleImage(n), 'ci');
    await t.repos.images.assignChannel('shop', 'staging', 'v2', 'ana');
    await t.repos.images.assignChannel('shop', 'production', 'v3', 'ana');
    await t.repos.images.assignChannel('shop', 'production', 'v2', 'ana');
    await e.checkTriggers();
    const runs = await runsOf(p.id);
    expect(runs.map((r) => [r.trigger.version, r.trigger.channel])).toEqual([['v2', 'production']]);
  });

  it('fires only for what happened after the trigger was set up', async () => {
    await t.repos.images.create(bundleImage(1), 'ci');
    await new Promise((r) => setTimeout(r, 20));
    const p = await onImage({ image: 'shop', runAs: await owner() });
    await t.repos.images.create(bundleImage(2), 'ci');
    await t.engine().checkTriggers();
    expect((await runsOf(p.id)).map((r) => r.trigger.version)).toEqual(['v2']);
  });

  it("starts nothing when the trigger's owner lacks EXECUTE, and says why in the audit log", async () => {
    const p = await onImage({ image: 'shop', runAs: await owner('WRITE') });
    await t.repos.images.create(bundleImage(1), 'ci');
    await t.engine().checkTriggers();
    expect(await runsOf(p.id)).toEqual([]);
    expect((await t.repos.audit.list({ limit: 1 }))[0]).toMatchObject({ actor: 'erin', action: 'registry trigger', status: 403 });
  });
});
