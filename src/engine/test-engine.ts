import { afterEach, beforeEach } from 'vitest';
import { PipelineDraft, type Pipeline } from '../shared/domain/pipeline';
import type { TriggerRecord } from '../shared/domain/execution';
import type { Me } from '../shared/domain/user';
import { openTestDatabase } from '../db/test-database';
import { createOwners, createTestRunner } from '../db/test-builders';
import type { Repositories } from '../db/types';
import { createEventBus } from './events/event-bus';
import { createEngine, type Engine, type EngineOptions } from './index';
import { parseOutboundAllow, type OutboundPolicy } from './net/outbound-policy';

export const MANUAL: TriggerRecord = { type: 'manual', user: 'ana', parameters: {} };
const START = '2026-11-23T10:00:00.000Z';

/**
 * For engine tests: a fresh database per test with application `web` and its owners, a clock the
 * test moves by hand, and engines and pipelines made on them.
 */
export function useEngineTest() {
  let repos: Repositories | undefined;
  let close: (() => Promise<void>) | undefined;
  let clock = new Date(START);
  beforeEach(async () => {
    ({ repos, close } = await openTestDatabase());
    await createOwners(repos);
    await createTestRunner(repos);
    clock = new Date(START);
  });
  afterEach(() => close?.());
  const db = () => {
    if (!repos) throw new Error('useEngineTest: use it inside a test');
    return repos;
  };
  return {
    get repos() {
      return db();
    },
    now: () => clock,
    /** Moves the clock on. */
    later: (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000)),
    engine: (options: Partial<EngineOptions> = {}): Engine =>
      createEngine({ repos: db(), events: createEventBus(db()), now: () => clock, owner: 'test', leaseMs: 30_000, ...options }),
    pipeline: (stages: unknown[], extra: Record<string, unknown> = {}): Promise<Pipeline> =>
      db().pipelines.create(PipelineDraft.parse({ application: 'web', name: `p${Math.random()}`, stages, ...extra }), 'ana'),
  };
}

/** A person as the BFF hands them to the engine: EXECUTE on application `web` unless told otherwise. */
export function person(name: string, options: { admin?: boolean; roles?: string[]; grants?: Me['grants'] } = {}): Me {
  return {
    user: { name, displayName: name, admin: options.admin ?? false, serviceAccount: false, disabled: false, createdAt: START, roles: options.roles ?? [] },
    grants: options.grants ?? [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }],
  };
}

/** Loopback allowed: where the stage tests' fake servers listen, which Kiln refuses unless allowed explicitly. */
export const loopbackAllowed = (ownPorts: number[] = []): OutboundPolicy => ({ allow: parseOutboundAllow('127.0.0.1'), ownPorts: new Set(ownPorts) });

/**
 * For stage tests against a real HTTP server on loopback: a fresh database with the owners (and what
 * `prepare` adds), and a running engine on the real clock that may call loopback. `restart` swaps in
 * an engine with another outbound policy.
 */
export function useRunningEngine(owner: string, prepare: (repos: Repositories) => Promise<unknown> = async () => undefined) {
  let repos: Repositories | undefined;
  let close: (() => Promise<void>) | undefined;
  let engine: Engine | undefined;
  const start = (outbound: OutboundPolicy) => {
    const db = repos!;
    engine = createEngine({ repos: db, events: createEventBus(db), owner, tickMs: 50, outbound });
    engine.run();
  };
  beforeEach(async () => {
    ({ repos, close } = await openTestDatabase());
    await createOwners(repos);
    await prepare(repos);
    start(loopbackAllowed());
  });
  afterEach(async () => {
    await engine?.stop();
    await close?.();
  });
  return {
    get repos(): Repositories {
      if (!repos) throw new Error('useRunningEngine: use it inside a test');
      return repos;
    },
    get engine(): Engine {
      if (!engine) throw new Error('useRunningEngine: use it inside a test');
      return engine;
    },
    restart: async (outbound: OutboundPolicy) => {
      await engine?.stop();
      start(outbound);
    },
  };
}
