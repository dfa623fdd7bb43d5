import { describe, expect, it } from 'vitest';
import { flagRunningImage, sourceChannel, type ImageRegistryView } from './image-flags';

const v = (n: number, channels: string[] = [], revocation?: { reason: string; from?: string }) => ({
  version: `v${n}`,
  channels,
  revoked: revocation !== undefined,
  ...(revocation ? { revocation: { at: '2026-11-20T10:00:00.000Z', by: 'sec', ...revocation } } : {}),
});
const h = (channel: string, n: number, day: number) => ({ channel, version: `v${n}`, at: `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z` });

describe('flagRunningImage', () => {
  const registry: ImageRegistryView = {
    versions: [v(1), v(2), v(3), v(4), v(5, ['production']), v(6, ['latest'])],
    history: [h('latest', 1, 1), h('production', 3, 3), h('latest', 3, 3), h('production', 5, 10), h('latest', 6, 12)],
  };

  it('judges a version against the channel that pointed at it: production moved from v3 to v5', () => {
    expect(sourceChannel('v3', registry)).toBe('production');
    expect(flagRunningImage({ name: 'shop', version: 'v3' }, registry)).toEqual({
      kind: 'out-of-date',
      message: 'out of date: v3 running, channel production points at v5',
      channel: 'production',
      target: 'v5',
    });
  });

  it('leaves alone the version its channel still points at, even when newer builds exist', () => {
    expect(flagRunningImage({ name: 'shop', version: 'v5' }, registry)).toBeUndefined();
  });

  it('with no channel but latest, compares with the newest version that is not revoked', () => {
    expect(flagRunningImage({ name: 'shop', version: 'v1' }, registry)?.message).toBe('out of date: v1 running, newest is v6');
    expect(flagRunningImage({ name: 'shop', version: 'v6' }, registry)).toBeUndefined();
    const newestRevoked: ImageRegistryView = { versions: [v(1), v(2, ['latest'], { reason: 'bad build' })], history: [h('latest', 1, 1), h('latest', 2, 2)] };
    expect(flagRunningImage({ name: 'shop', version: 'v1' }, newestRevoked)).toBeUndefined();
  });

  it('flags a revoked version with its reason, naming the ancestor it is revoked through', () => {
    const revoked: ImageRegistryView = { versions: [v(1, ['production'], { reason: 'CVE-2026-1234 in openssl', from: 'base:v2' })], history: [] };
    expect(flagRunningImage({ name: 'shop', version: 'v1' }, revoked)).toEqual({ kind: 'revoked', message: 'revoked: CVE-2026-1234 in openssl (via base:v2)' });
    const own: ImageRegistryView = { versions: [v(1, [], { reason: 'leaks memory' }), v(2)], history: [] };
    expect(flagRunningImage({ name: 'shop', version: 'v1' }, own)?.message).toBe('revoked: leaks memory');
  });

  it('never flags images the registry does not hold', () => {
    expect(flagRunningImage({ name: 'sample-app', version: 'builtin' }, undefined)).toBeUndefined();
    expect(flagRunningImage({ name: 'shop', version: 'v9' }, registry)).toBeUndefined();
  });
});
