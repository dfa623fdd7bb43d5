import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { openTestDatabase } from '../../db/test-database';
import { bundleImage, createOwners, serverGroup } from '../../db/test-builders';
import type { Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';

let repos: Repositories;
let close: () => Promise<void>;
beforeEach(async () => {
  ({ repos, close } = await openTestDatabase());
  await createOwners(repos);
});
afterEach(() => close());

async function find(config: Record<string, unknown>) {
  const engine = createEngine({ repos, events: createEventBus(repos), owner: 't' });
  const p = await repos.pipelines.create(
    PipelineDraft.parse({ application: 'web', name: `find ${Math.random()}`, stages: [{ refId: 'f', type: 'findImage', name: 'Find', config }] }),
    'ana',
  );
  const { id } = await engine.start(p, { type: 'manual', user: 'ana', parameters: {} });
  await engine.tick();
  return (await repos.executions.get(id))!.stages[0]!;
}

describe('findImage from the registry', () => {
  it('takes the version a channel points at, and refuses a revoked one', async () => {
    await repos.images.create(bundleImage(1), 'ci');
    await repos.images.create(bundleImage(2), 'ci');
    await repos.images.assignChannel('shop', 'production', 'v1', 'ops');
    const stage = await find({ source: 'registry', account: 'prod', region: 'east', image: 'shop', channel: 'production' });
    expect(stage).toMatchObject({ status: 'SUCCEEDED', outputs: { image: 'shop:v1', channel: 'production' } });
    expect((await find({ source: 'registry', account: 'prod', region: 'east', image: 'shop' })).outputs.image).toBe('shop:v2');

    await repos.images.revoke('shop', 'v1', { at: new Date(Date.now() - 1000).toISOString(), reason: 'leaks memory', by: 'ops' });
    const refused = await find({ source: 'registry', account: 'prod', region: 'east', image: 'shop', channel: 'production' });
    expect(refused).toMatchObject({ status: 'TERMINAL', error: 'shop@production is shop:v1, which is revoked: leaks memory' });
    expect((await find({ source: 'registry', account: 'prod', region: 'east', image: 'nope' })).error).toBe(
      'the image registry has no nope@latest (no such image, or the channel points nowhere)',
    );
  });
});

describe('findImage from a cluster', () => {
  it("reads this application's clusters only, and says so when one names another application's", async () => {
    await repos.serverGroups.save(serverGroup({ account: 'prod', region: 'east', name: 'billing-api-v001' }));
    const stage = await find({ source: 'cluster', account: 'prod', region: 'east', cluster: 'billing-api' });
    expect(stage).toMatchObject({
      status: 'TERMINAL',
      error: "cluster 'billing-api' belongs to application 'billing'; a run of application 'web' finds images in its own clusters only (or in the image registry)",
    });
    expect(stage.outputs).toEqual({});
  });
});
