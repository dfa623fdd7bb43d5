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

/** What a deploy test file needs of a harness: its database, and a close() that may report what outlived it. */
interface DeployHarness {
  repos: Repositories;
  close(): Promise<unknown>;
  /** Destroys what the deploys left (the disabled group of a red/black), through the provider. */
  destroyAll?(): Promise<void>;
}

/**
 * For a test file of deploys on one provider: `setup(…)` opens a harness with a running deploy
 * engine on it; after each test the engine stops first, then what the deploys left is destroyed,
 * the harness closes, and the test fails if anything it reports (an instance, a VM, a container,
 * a balancer process) outlived it. `h` is the harness of the test under way.
 */
export function useProviderDeploys<H extends DeployHarness, A extends unknown[]>(open: (...args: A) => Promise<H>, cloudOf: (h: H) => LocalCloud | CloudProviders) {
  let h: H | undefined;
  let stopEngine: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stopEngine?.();
    stopEngine = undefined;
    await h?.destroyAll?.();
    const left = await h?.close();
    h = undefined;
    expect(Array.isArray(left) ? left : []).toEqual([]);
  });
  return {
    async setup(...args: A) {
      h = await open(...args);
      const d = deployEngine(h.repos, cloudOf(h));
      stopEngine = () => d.engine.stop();
      return d;
    },
    get h(): H {
      if (!h) throw new Error('useProviderDeploys: call setup() in the test first');
      return h;
    },
  };
}

/** useProviderDeploys on the local test cloud; `t` is the cloud of the test under way. */
export function useDeployCloud() {
  const deploys = useProviderDeploys(
    () => openTestCloud(),
    (t) => t.cloud,
  );
  return {
    setup: () => deploys.setup(),
    get t(): TestCloud {
      return deploys.h;
    },
  };
}

/** A deploy stage's config into cluster web-{stack} in `where` (prod/east unless said); `extra` overrides any field. */
export const deployTo =
  (stack: string, capacity: { min: number; desired: number; max: number }, loadBalancers?: string[], where: { account: string; region: string } = PROD) =>
  (image: string, extra: Record<string, unknown> = {}) => ({ ...where, stack, image, capacity, ...(loadBalancers ? { loadBalancers } : {}), ...extra });
