import { describe, expect, it } from 'vitest';
import { parseRoleMap } from '../config';
import { groupsFrom, rolesFor, userNameFrom } from './oidc-users';

describe('from provider claims to a Kiln user', () => {
  it('names the user after preferred_username, else the email before the @', () => {
    expect(userNameFrom({ preferred_username: 'Olga.Ops', email: 'x@y.z' })).toBe('olga.ops');
    expect(userNameFrom({ preferred_username: 'olga@corp.example' })).toBe('olga');
    expect(userNameFrom({ email: 'Dave Smith@corp.example' })).toBe('dave-smith');
    // Not usable as a Kiln name (must start with a letter): the email is tried next, then nothing.
    expect(userNameFrom({ preferred_username: '1234', email: 'ana@corp.example' })).toBe('ana');
    expect(userNameFrom({ preferred_username: '', sub: 'abc' })).toBeUndefined();
  });

  it('reads groups from a claim or a dotted path; one string is one group', () => {
    expect(groupsFrom({ groups: ['a', 'b', 3] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsFrom({ realm_access: { roles: ['ops'] } }, 'realm_access.roles')).toEqual(['ops']);
    expect(groupsFrom({ groups: 'ops' }, 'groups')).toEqual(['ops']);
    expect(groupsFrom({}, 'groups')).toEqual([]);
  });

  it('maps groups to roles, admin to the admin flag', () => {
    const map = parseRoleMap('platform-admins=admin,oncall=approvers,oncall=support,sre=approvers');
    expect(rolesFor(['oncall', 'sre', 'other'], map)).toEqual({ roles: ['approvers', 'support'], admin: false, mapped: true });
    expect(rolesFor(['platform-admins'], map)).toEqual({ roles: [], admin: true, mapped: true });
    expect(rolesFor(['other'], map)).toEqual({ roles: [], admin: false, mapped: false });
  });
});
