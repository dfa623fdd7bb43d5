import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { imageChannelStage } from '../../shared/stages/image-channel';
import { openTestDatabase } from '../../db/test-database';
import { bundleImage, createOwners } from '../../db/test-builders';
import type { Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';

let repos: Repositories;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ repos, close } = await openTestDatabase());
  await createOwners(repos);
  const at = new Date().toISOString();
  await repos.users.create({ name: 'ana', displayName: 'Ana', passwordHash: 'x', admin: true, createdAt: at });
  // A pipeline editor and runner of application web, but no admin.
  await repos.users.create({ name: 'walt', displayName: 'Walt', passwordHash: 'x', admin: false, createdAt: at });
  await repos.users.saveRole({ name: 'web-team', description: '', members: ['walt'], grants: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }] });
  for (const n of [1, 2]) await repos.images.create(bundleImage(n), 'ci');
  await repos.images.assignChannel('shop', 'production', 'v1', 'ops');
});
afterEach(() => close());

async function move(config: Record<string, unknown>, user = 'ana') {
  const engine = createEngine({ repos, events: createEventBus(repos), owner: 't' });
  const p = await repos.pipelines.create(
    PipelineDraft.parse({
      application: 'web',
      name: `tag ${Math.random()}`,
      stages: [{ refId: 'c', type: 'imageChannel', name: 'Promote', config }],
      parameters: [{ name: 'image' }],
    }),
    user,
  );
  const { id } = await engine.start(p, { type: 'manual', user, parameters: { image: 'shop:v2' } });
  await engine.tick();
  return (await repos.executions.get(id))!.stages[0]!;
}

const channelOf = async (channel: string) => (await repos.images.detail('shop'))!.versions.find((v) => v.channels.includes(channel))?.version;

describe('the image channel stage', () => {
  it('points the channel at the version from an expression and says what it pointed at before', async () => {
    const stage = await move({ image: '${ parameters.image }', channel: 'production' });
    expect(stage).toMatchObject({ status: 'SUCCEEDED', outputs: { image: 'shop:v2', channel: 'production', previous: 'shop:v1' } });
    expect(await channelOf('production')).toBe('v2');
  });

  it('refuses a revoked version, naming it and why, and leaves the channel alone', async () => {
    await repos.images.revoke('shop', 'v2', { at: new Date(Date.now() - 1000).toISOString(), reason: 'leaks memory', by: 'ops' });
    const stage = await move({ image: 'shop:v2', channel: 'production' });
    expect(stage).toMatchObject({ status: 'TERMINAL', error: "shop:v2 cannot be put on channel 'production': it is revoked (leaks memory)" });
    expect(await channelOf('production')).toBe('v1');
  });

  it('refuses a run acting for someone who is not an admin: editing a pipeline does not move production', async () => {
    const stage = await move({ image: 'shop:v2', channel: 'production' }, 'walt');
    expect(stage).toMatchObject({ status: 'TERMINAL', error: 'walt is not an admin, and only admins move image channels; this run acts for walt.' });
    expect(await channelOf('production')).toBe('v1');
  });

  it('refuses what is not name:vN, at save time and at run time', async () => {
    expect(imageChannelStage.config.safeParse({ image: 'shop', channel: 'production' }).success).toBe(false);
    expect((await move({ image: '${ parameters.image }x', channel: 'production' })).error).toBe("image 'shop:v2x' is not name:vN (like storefront:v3)");
  });
});
