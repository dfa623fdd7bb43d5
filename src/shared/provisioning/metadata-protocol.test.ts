import { describe, expect, it } from 'vitest';
import { guestMetadataUrl, HealthReport } from './metadata-protocol';

describe('metadata protocol', () => {
  it('gives a VM the same per-instance path on the fixed guest address, port 80', () => {
    expect(guestMetadataUrl('http://127.0.0.1:41234/v1/0123abcd')).toBe('http://10.0.2.100/v1/0123abcd');
    expect(() => guestMetadataUrl('http://169.254.169.254/v1/x')).toThrow(/not a loopback/);
  });

  it('requires a reason with NotReady', () => {
    const goal = { containerId: 'g', instanceId: 'i-1', incarnation: 1 };
    expect(HealthReport.safeParse({ ...goal, state: 'NotReady' }).success).toBe(false);
    expect(
      HealthReport.parse({
        ...goal,
        state: 'NotReady',
        reason: 'cloud-init failed',
      }),
    ).toMatchObject({ state: 'NotReady' });
  });
});
