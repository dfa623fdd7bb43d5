import type { HealthState } from './instance';
import { ServerGroup } from './server-group';
import type { GuardedAction } from './traffic-guard';

/**
 * One table of traffic-guard cases, run through the real BFF and through the MSW mocks by their
 * tests: both must refuse exactly these, with 409 naming `serverGroup`. Every group is in
 * application `web`, account `prod`, cluster `web-guard`; the case acts on `target` in `east`.
 */

type Spec = { name: string; region?: string; disabled?: boolean; health: HealthState[] };

export interface TrafficGuardCase {
  name: string;
  protected: boolean;
  groups: Spec[];
  target: string;
  action: GuardedAction;
  refused: boolean;
}

const v1 = 'web-guard-v001';
const v2 = 'web-guard-v002';

export const TRAFFIC_GUARD_CASES: TrafficGuardCase[] = [
  {
    name: 'an unprotected cluster may lose its last enabled group',
    protected: false,
    groups: [
      { name: v1, disabled: true, health: ['out_of_service'] },
      { name: v2, health: ['up'] },
    ],
    target: v2,
    action: 'disable',
    refused: false,
  },
  {
    name: 'the last enabled group of a protected cluster is not disabled',
    protected: true,
    groups: [
      { name: v1, disabled: true, health: ['out_of_service'] },
      { name: v2, health: ['up'] },
    ],
    target: v2,
    action: 'disable',
    refused: true,
  },
  {
    name: 'the last enabled group of a protected cluster is not destroyed',
    protected: true,
    groups: [
      { name: v1, disabled: true, health: ['out_of_service'] },
      { name: v2, health: ['up'] },
    ],
    target: v2,
    action: 'destroy',
    refused: true,
  },
  {
    name: 'another enabled healthy group keeps serving, so one may go',
    protected: true,
    groups: [
      { name: v1, health: ['up'] },
      { name: v2, health: ['up', 'starting'] },
    ],
    target: v2,
    action: 'disable',
    refused: false,
  },
  {
    name: 'another enabled group with no healthy instance does not count',
    protected: true,
    groups: [
      { name: v1, health: ['starting', 'down'] },
      { name: v2, health: ['up'] },
    ],
    target: v2,
    action: 'destroy',
    refused: true,
  },
  {
    name: 'the same cluster serving in another region does not count',
    protected: true,
    groups: [
      { name: v1, region: 'west', health: ['up'] },
      { name: v2, health: ['up'] },
    ],
    target: v2,
    action: 'disable',
    refused: true,
  },
  {
    name: 'a disabled group of a protected cluster may be destroyed',
    protected: true,
    groups: [
      { name: v1, disabled: true, health: ['out_of_service'] },
      { name: v2, health: ['up'] },
    ],
    target: v1,
    action: 'destroy',
    refused: false,
  },
];

const AT = '2026-11-23T10:00:00.000Z';

/** The case's groups as server groups (display-only: no provider runs them). */
export function trafficGuardGroups(c: TrafficGuardCase): ServerGroup[] {
  return c.groups.map((g, n) => {
    const region = g.region ?? 'east';
    return ServerGroup.parse({
      name: g.name,
      application: 'web',
      cluster: 'web-guard',
      stack: 'guard',
      sequence: n + 1,
      account: 'prod',
      region,
      image: { name: 'web', version: `1.0.${n + 1}` },
      capacity: { min: 0, desired: g.health.length, max: g.health.length + 1 },
      disabled: g.disabled ?? false,
      loadBalancers: [],
      launchedAt: AT,
      instances: g.health.map((health, i) => ({
        id: `i-guard${n}${i}${region}`,
        serverGroup: g.name,
        account: 'prod',
        region,
        zone: `${region}-a`,
        health,
        healthDetail: health,
        address: `127.0.0.1:${43000 + i}`,
        launchedAt: AT,
      })),
    });
  });
}
