import { describe, expect, it } from 'vitest';
import { formatCluster, formatServerGroupName, nextServerGroupName, parseMoniker } from './moniker';
import { ClusterName, ServerGroupName } from './names';

const ok = (name: string) => {
  const result = parseMoniker(name);
  if (!result.ok) throw new Error(`${name}: ${result.reason}`);
  return result.moniker;
};
const reason = (name: string) => {
  const result = parseMoniker(name);
  if (result.ok) throw new Error(`${name} parsed but should not`);
  return result.reason;
};

describe('parseMoniker', () => {
  it.each([
    ['app', { app: 'app', stack: undefined, detail: undefined, cluster: 'app', sequence: undefined }],
    ['app-stack', { app: 'app', stack: 'stack', detail: undefined, cluster: 'app-stack', sequence: undefined }],
    ['app--detail', { app: 'app', stack: undefined, detail: 'detail', cluster: 'app--detail', sequence: undefined }],
    ['app-stack-detail-v001', { app: 'app', stack: 'stack', detail: 'detail', cluster: 'app-stack-detail', sequence: 1 }],
    ['app-v042', { app: 'app', stack: undefined, detail: undefined, cluster: 'app', sequence: 42 }],
    ['app-stack-v1000', { app: 'app', stack: 'stack', detail: undefined, cluster: 'app-stack', sequence: 1000 }],
    ['shop-prod-canary-eu-west-v003', { app: 'shop', stack: 'prod', detail: 'canary-eu-west', cluster: 'shop-prod-canary-eu-west', sequence: 3 }],
    ['app--my-detail-v010', { app: 'app', stack: undefined, detail: 'my-detail', cluster: 'app--my-detail', sequence: 10 }],
    ['api.v2_x-main', { app: 'api.v2_x', stack: 'main', detail: undefined, cluster: 'api.v2_x-main', sequence: undefined }],
  ])('parses %s', (name, expected) => {
    expect(ok(name)).toEqual(expected);
  });

  it('treats a short -vNN suffix as part of the name, not a sequence (Frigga needs 3+ digits)', () => {
    expect(ok('app-stack-v01')).toMatchObject({ stack: 'stack', detail: 'v01', sequence: undefined });
    expect(ok('app-stack-detail-v12')).toMatchObject({ detail: 'detail-v12', sequence: undefined });
  });

  it.each([
    ['', 'empty'],
    ['App-prod', 'lowercase'],
    ['app prod', 'white space'],
    ['-prod', 'application part'],
    ['app-', 'no stack'],
    ['app-stack-', 'no detail'],
    ['app-st@ck', 'stack "st@ck"'],
    ['app-stack-det/ail', 'detail "det/ail"'],
    ['a'.repeat(129), 'longer than 128'],
    ['app-v1234567', 'above v999999'],
  ])('rejects %j with a reason mentioning %s', (name, expected) => {
    expect(reason(name)).toContain(expected);
  });
});

describe('formatting', () => {
  it('round-trips every parseable shape', () => {
    for (const name of ['app', 'app-stack', 'app--detail', 'app-stack-detail', 'app--my-detail']) {
      expect(formatCluster(ok(name))).toBe(name);
    }
    expect(formatServerGroupName({ app: 'app', detail: 'x', sequence: 7 })).toBe('app--x-v007');
    expect(formatServerGroupName({ app: 'app', stack: 's', sequence: 1234 })).toBe('app-s-v1234');
  });

  it('picks the next sequence after the highest one in use', () => {
    expect(nextServerGroupName('app-prod', [])).toBe('app-prod-v001');
    expect(nextServerGroupName('app-prod', [1, 3, 2])).toBe('app-prod-v004');
    expect(nextServerGroupName('app-prod', [999])).toBe('app-prod-v1000');
  });
});

describe('name schemas', () => {
  it('accepts cluster names without a sequence and server-group names with one', () => {
    expect(ClusterName.safeParse('app-prod').success).toBe(true);
    expect(ClusterName.safeParse('app-prod-v001').error?.issues[0]?.message).toContain('no -vNNN');
    expect(ServerGroupName.safeParse('app-prod-v001').success).toBe(true);
    expect(ServerGroupName.safeParse('app-prod').error?.issues[0]?.message).toContain('ends with -vNNN');
    expect(ServerGroupName.safeParse('App-v001').error?.issues[0]?.message).toContain('lowercase');
  });
});
