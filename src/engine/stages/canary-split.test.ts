import { describe, expect, it } from 'vitest';
import { canaryReplicas, replicaShare } from './canary-split';

describe('canary pods where a Service spreads over ready pods', () => {
  it.each([
    // weight %, baseline pods → canary pods, the share they really get
    [10, 9, 1, 10],
    [10, 10, 1, 9.1],
    [25, 3, 1, 25],
    [20, 20, 5, 20],
    [50, 3, 3, 50],
    [1, 2, 1, 33.3],
  ])('%i%% beside %i baseline pods is %i canary pod(s): %f%% of the traffic', (weight, baseline, pods, share) => {
    expect(canaryReplicas(weight, baseline)).toBe(pods);
    expect(replicaShare(pods, baseline)).toBe(share);
  });
});
