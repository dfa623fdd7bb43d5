import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PipelineDraft } from '../../shared/domain/pipeline';
import type { Execution } from '../../shared/domain/execution';
import type { Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine, type Engine } from '../index';
import type { LocalCloud } from './local';
import type { CloudProviders } from './provider';
import { localProviders } from './providers';
import { afterEach, expect } from 'vitest';
import { openTestCloud, until, type TestCloud } from './test-cloud';

/** An engine on the test cloud (or on given providers), ticking on the wall clock, that runs one-stage pipelines to the end. */
export function deployEngine(repos: Repositories, cloud: LocalCloud | CloudProviders) {
  const engine: Engine = createEngine({
    repos,
    events: createEventBus(repos),
    cloud: typeof cloud === 'function' ? cloud : localProviders(repos, cloud),
    ...(typeof cloud === 'function' ? {} : { leadsCloud: () => cloud.leading }),
    tickMs: 100,
    jobsRoot: mkdtempSync(join(tmpdir(), 'kiln-jobs-test-')),
  });
  engine.run();
  let n = 0;
  return {
    engine,
    async start(type: string, config: Record<string, unknown>, name?: string): Promise<string> {
      n += 1;
      const pipeline = await repos.pipelines.create(
        PipelineDraft.parse({ application: 'web', name: name ?? `${type}-${n}`, stages: [{ refId: 's', type, name: `${type} ${n}`, config }] }),
        'ana',
      );
      return (await engine.start(pipeline, { type: 'manual', user: 'ana', parameters: {} })).id;
    },
    finish(id: string, ms = 60_000): Promise<Execution> {
      return until(
        `execution ${id} to finish`,
        async () => {
          const e = await repos.executions.get(id);
          return e && ['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(e.status) && e;
        },
        ms,
      );
    },
    async run(type: string, config: Record<string, unknown>, ms = 60_000): Promise<Execution> {
      return this.finish(await this.start(type, config), ms);
    },
  };
}

export const PROD = { account: 'prod', region: 'east' };

/**
 * For a test file of deploys on the local cloud: `setup()` opens a test cloud with a running deploy
 * engine; after each test the engine stops first, then the cloud closes and the test fails if an
 * instance or balancer process outlived it. `t` is the cloud of the test under way.
 */
export function useDeployCloud() {
  let t: TestCloud | undefined;
  let stopEngine: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stopEngine?.();
    stopEngine = undefined;
    const left = await t?.close();
    t = undefined;
    expect(left ?? []).toEqual([]);
  });
  return {
    async setup() {
      t = await openTestCloud();
      const d = deployEngine(t.repos, t.cloud);
      stopEngine = () => d.engine.stop();
      return d;
    },
    get t(): TestCloud {
      if (!t) throw new Error('useDeployCloud: call setup() in the test first');
      return t;
    },
  };
}

/** A deploy stage's config into cluster web-{stack} in prod/east; `extra` overrides any field. */
export const deployTo =
  (stack: string, capacity: { min: number; desired: number; max: number }, loadBalancers?: string[]) =>
  (image: string, extra: Record<string, unknown> = {}) => ({ ...PROD, stack, image, capacity, ...(loadBalancers ? { loadBalancers } : {}), ...extra });
