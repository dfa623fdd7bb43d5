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

  it('reads a set-up time written with an offset as the instant it is', async () => {
    const at = new Date(Date.now() - 1000);
    // The same instant as 14 hours ahead of UTC: as text it sorts after every UTC time of today.
    const ahead = new Date(at.getTime() + 14 * 3600_000).toISOString().replace('Z', '+14:00');
    const p = await onImage({ image: 'shop', runAs: await owner(), setAt: ahead });
    await t.repos.images.create(bundleImage(1), 'ci');
    expect(await t.engine().checkTriggers()).toBe(1);
    expect((await runsOf(p.id)).map((r) => r.trigger.version)).toEqual(['v1']);
  });

  it("starts nothing when the trigger's owner lacks EXECUTE, and says why in the audit log", async () => {
    const p = await onImage({ image: 'shop', runAs: await owner('WRITE') });
    await t.repos.images.create(bundleImage(1), 'ci');
    await t.engine().checkTriggers();
    expect(await runsOf(p.id)).toEqual([]);
    expect((await t.repos.audit.list({ limit: 1 }))[0]).toMatchObject({ actor: 'erin', action: 'registry trigger', status: 403 });
  });

  it('after a stop of more than an hour, the newest version missed starts one run, which names the versions it skipped', async () => {
    const p = await onImage({ image: 'shop', runAs: await owner() });
    t.later((Date.now() - t.now().getTime()) / 1000); // the engines' clock reads the registry's time
    await t.engine({ owner: 'before' }).checkTriggers();
    // Kiln is stopped; CI adds three versions; Kiln starts again two hours later.
    for (const n of [1, 2, 3]) await t.repos.images.create(bundleImage(n), 'ci');
    t.later(2 * 3600);
    const after = t.engine({ owner: 'after' });
    expect(await after.checkTriggers()).toBe(1);
    expect(await after.checkTriggers()).toBe(0);
    const runs = await runsOf(p.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.trigger).toMatchObject({ version: 'v3', skippedVersions: ['v2', 'v1'], skippedCount: 2 });
    // What comes next starts its own run, with nothing skipped.
    await t.repos.images.create(bundleImage(4), 'ci');
    await t.engine({ owner: 'later' }).checkTriggers();
    const next = (await runsOf(p.id)).find((r) => r.trigger.version === 'v4');
    expect(next?.trigger.skippedVersions).toBeUndefined();
  });

  it('a trigger added to a registry with a history starts from then: older versions start nothing, the next one does', async () => {
    const e = t.engine();
    for (const n of [1, 2]) await t.repos.images.create(bundleImage(n), 'ci');
    await new Promise((r) => setTimeout(r, 20));
    const p = await onImage({ image: 'shop', runAs: await owner() });
    expect(await e.checkTriggers()).toBe(0);
    await t.repos.images.create(bundleImage(3), 'ci');
    expect(await t.engine({ owner: 'restarted' }).checkTriggers()).toBe(1);
    expect((await runsOf(p.id)).map((r) => [r.trigger.version, r.trigger.skippedVersions])).toEqual([['v3', undefined]]);
  });

  it('a disabled trigger, or a trigger of a disabled pipeline, starts nothing, and enabling it later does not start runs for what came meanwhile', async () => {
    const runAs = await owner();
    const off = await onImage({ image: 'shop', runAs, enabled: false });
    const paused = await onImage({ image: 'shop', runAs });
    await t.repos.pipelines.save(paused.id, paused.revision, { ...paused, disabled: true }, 'ana');
    await t.engine().checkTriggers();
    await t.repos.images.create(bundleImage(1), 'ci');
    expect(await t.engine({ owner: 'b' }).checkTriggers()).toBe(0);
    // Enabled again (a pipeline's enabled flag does not touch its triggers; a trigger switched on is stamped anew).
    const pausedNow = (await t.repos.pipelines.get(paused.id))!;
    await t.repos.pipelines.save(paused.id, pausedNow.revision, { ...pausedNow, disabled: false }, 'ana');
    const trigger = off.triggers.find((x) => x.type === 'registry')!;
    await t.repos.pipelines.save(off.id, off.revision, { ...off, triggers: [{ ...trigger, enabled: true, setAt: new Date().toISOString() }] }, 'erin');
    expect(await t.engine({ owner: 'c' }).checkTriggers()).toBe(0);
    await t.repos.images.create(bundleImage(2), 'ci');
    expect(await t.engine({ owner: 'd' }).checkTriggers()).toBe(2);
    for (const p of [off, paused]) expect((await runsOf(p.id)).map((r) => r.trigger.version)).toEqual(['v2']);
  });

  it('reports a trigger stored with ${ in its version regex (saved before that was refused) once, naming the field, instead of never matching in silence', async () => {
    const p = await onImage({ image: 'shop', versionRegex: 'v${ parameters.major }.*', runAs: await owner() });
    const errors: string[] = [];
    const e = t.engine({ onError: (err: unknown) => errors.push((err as Error).message) });
    await t.repos.images.create(bundleImage(1), 'ci');
    await e.checkTriggers();
    await t.repos.images.create(bundleImage(2), 'ci');
    await e.checkTriggers();
    expect(errors).toEqual([expect.stringMatching(/^pipeline '.+' of web: its registry trigger never starts a run until triggers\[0\]\.versionRegex is edited: /)]);
    expect(await runsOf(p.id)).toEqual([]);
  });
});
