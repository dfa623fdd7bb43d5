import { describe, expect, it } from 'vitest';
import { can, type Me } from './user';

const me = (grants: Me['grants'], admin = false): Me => ({
  user: { name: 'ana', displayName: 'Ana', admin, serviceAccount: false, disabled: false, createdAt: '2026-11-23T10:00:00.000Z', roles: [] },
  grants,
});

describe('can', () => {
  it('lets WRITE and EXECUTE imply READ, but not each other', () => {
    const deployer = me([{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }]);
    expect(can(deployer, 'READ', { application: 'web' })).toBe(true);
    expect(can(deployer, 'EXECUTE', { application: 'web' })).toBe(true);
    expect(can(deployer, 'WRITE', { application: 'web' })).toBe(false);
    expect(can(deployer, 'READ', { application: 'billing' })).toBe(false);
  });

  it("needs the account too for a cloud operation, and reads '*' as every name", () => {
    const support = me([
      { resourceType: 'application', resource: '*', permission: 'READ' },
      { resourceType: 'account', resource: '*', permission: 'READ' },
    ]);
    expect(can(support, 'READ', { application: 'anything', account: 'prod' })).toBe(true);
    expect(can(support, 'EXECUTE', { application: 'web', account: 'prod' })).toBe(false);
    const appOnly = me([{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }]);
    expect(can(appOnly, 'EXECUTE', { application: 'web', account: 'prod' })).toBe(false);
  });

  it('allows admins everything and nobody anything when disabled or logged out', () => {
    expect(can(me([], true), 'WRITE', { application: 'x' })).toBe(true);
    const disabled = me([{ resourceType: 'application', resource: '*', permission: 'READ' }]);
    disabled.user.disabled = true;
    expect(can(disabled, 'READ', { application: 'x' })).toBe(false);
    expect(can(undefined, 'READ', { application: 'x' })).toBe(false);
  });
});
