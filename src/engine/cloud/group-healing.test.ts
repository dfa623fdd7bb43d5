import { describe, expect, it } from 'vitest';
import { failsAtOnce, queuePass } from './group-healing';
import type { InstanceState } from './local-instance';

const group = () => ({ running: Promise.resolve(), queued: false });

describe('queuePass', () => {
  it('runs passes one at a time, and asks made while one waits join it', async () => {
    const g = group();
    const log: string[] = [];
    let release: () => void = () => {};
    const first = queuePass(
      g,
      () => new Promise<void>((r) => (release = () => (log.push('first'), r()))),
      () => {},
    );
    await Promise.resolve();
    const second = queuePass(
      g,
      async () => void log.push('second'),
      () => {},
    );
    const joined = queuePass(
      g,
      async () => void log.push('never: joined the waiting pass'),
      () => {},
    );
    expect(joined).toBe(second);
    release();
    await Promise.all([first, second]);
    expect(log).toEqual(['first', 'second']);
  });

  it('hands a failed pass to onError and keeps the chain going', async () => {
    const g = group();
    const errors: string[] = [];
    await queuePass(
      g,
      async () => {
        throw new Error('engine unreachable');
      },
      (err) => errors.push((err as Error).message),
    );
    let ran = false;
    await queuePass(
      g,
      async () => void (ran = true),
      () => {},
    );
    expect(errors).toEqual(['engine unreachable']);
    expect(ran).toBe(true);
  });
});

describe('failsAtOnce', () => {
  const instance = (ready: boolean): InstanceState => ({ readyMs: ready ? 1 : undefined, gone: false, retiring: false }) as InstanceState;

  it('fails a new group in the words of its first crash', async () => {
    const g = { ...group(), crashes: 1, lastCrash: 'kernel panic: no init found', sg: { capacity: { desired: 1 } }, instances: [instance(false)] };
    expect(await failsAtOnce(g, async () => {}, 60_000, 0)).toBe('kernel panic: no init found');
  });

  it('passes once every instance reported ready, checking again between looks', async () => {
    const g = { ...group(), crashes: 0, sg: { capacity: { desired: 2 } }, instances: [instance(true), instance(false)] };
    let passes = 0;
    const reconcile = async () => {
      passes += 1;
      g.instances = [instance(true), instance(true)];
    };
    expect(await failsAtOnce(g, reconcile, 60_000, 0)).toBeUndefined();
    expect(passes).toBe(1);
  });
});
