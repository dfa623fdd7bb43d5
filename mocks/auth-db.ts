import { ApiToken, AuditEntry, Me, Role, User } from '../src/shared/domain/user';

/** Who mock mode is signed in as (an admin, so every page can be tried), and the admin data. */
export interface MockAuth {
  /** null after signing out, until signing in again. */
  me: Me | null;
  users: User[];
  roles: Role[];
  tokens: ApiToken[];
  audit: AuditEntry[];
}

export function createMockAuth(at: string): MockAuth {
  const ana = User.parse({ name: 'ana', displayName: 'Ana Admin', admin: true, serviceAccount: false, disabled: false, createdAt: at, roles: ['deployers'] });
  const bo = User.parse({ name: 'bo', displayName: 'Bo Support', admin: false, serviceAccount: false, disabled: false, createdAt: at, roles: ['support'] });
  return {
    me: Me.parse({ user: ana, grants: [{ resourceType: 'application', resource: '*', permission: 'EXECUTE' }] }),
    users: [ana, bo],
    roles: [
      Role.parse({
        name: 'deployers',
        description: 'Run pipelines everywhere',
        members: ['ana'],
        grants: [
          { resourceType: 'application', resource: '*', permission: 'EXECUTE' },
          { resourceType: 'account', resource: '*', permission: 'EXECUTE' },
        ],
      }),
      Role.parse({
        name: 'support',
        description: 'See everything, change nothing',
        members: ['bo'],
        grants: [
          { resourceType: 'application', resource: '*', permission: 'READ' },
          { resourceType: 'account', resource: '*', permission: 'READ' },
        ],
      }),
    ],
    tokens: [ApiToken.parse({ id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', name: 'laptop CLI', prefix: 'kiln_Ab3d', createdAt: at })],
    audit: [
      AuditEntry.parse({
        id: 1,
        at,
        actor: 'ana',
        action: 'PUT /api/pipelines/:pipelineId',
        target: '/api/pipelines/0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01',
        status: 200,
        details: {},
        ip: '127.0.0.1',
      }),
    ],
  };
}
