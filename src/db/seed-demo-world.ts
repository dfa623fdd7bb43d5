import { createHash } from 'node:crypto';
import { Account } from '../shared/domain/account';
import { NewApplication } from '../shared/domain/application';
import type { HealthState } from '../shared/domain/instance';
import { LoadBalancer } from '../shared/domain/load-balancer';
import { formatServerGroupName, parseMoniker } from '../shared/domain/moniker';
import { NewProject } from '../shared/domain/project';
import { ServerGroup } from '../shared/domain/server-group';

/** Everything the demo project holds, built from `now` alone so two runs give identical data. */
export interface DemoWorld {
  project: NewProject;
  applications: NewApplication[];
  accounts: Account[];
  serverGroups: ServerGroup[];
  loadBalancers: LoadBalancer[];
}

export const DEMO_PROJECT = 'demo';
const REGIONS = ['local-east', 'local-west'];

interface ClusterSpec {
  cluster: string;
  account: 'staging' | 'prod';
  region: 'local-east' | 'local-west';
  image: string;
  /** Sequence of the first (oldest) group listed. */
  first: number;
  /** Oldest first: [image version, instance health]. All but the newest are disabled, as after red/black. */
  groups: Array<[string, HealthState[]]>;
  /** The balancer in front of the cluster, and the share of its traffic the newest group gets. */
  balancer?: { name: string; weight: number };
}

const oos = (n: number): HealthState[] => Array.from({ length: n }, () => 'out_of_service');

const CLUSTERS: ClusterSpec[] = [
  {
    cluster: 'storefront-staging', account: 'staging', region: 'local-east', image: 'storefront', first: 1,
    groups: [['1.4.0-h101', oos(1)], ['1.4.1-h117', oos(1)], ['1.4.2-h123', ['up', 'starting']]],
    balancer: { name: 'storefront-staging-frontend', weight: 100 },
  },
  {
    cluster: 'storefront-prod', account: 'prod', region: 'local-east', image: 'storefront', first: 1,
    groups: [['1.4.0-h101', oos(2)], ['1.4.1-h117', oos(3)], ['1.4.2-h123', ['up', 'up', 'up', 'down']]],
    balancer: { name: 'storefront-prod-frontend', weight: 100 },
  },
  {
    cluster: 'storefront-prod', account: 'prod', region: 'local-west', image: 'storefront', first: 2,
    groups: [['1.4.1-h117', oos(2)], ['1.4.2-h123', ['up', 'up', 'unknown']]],
    balancer: { name: 'storefront-prod-frontend', weight: 90 },
  },
  {
    // A canary of the next release behind the same west balancer, taking a tenth of the traffic.
    cluster: 'storefront-prod-canary-eu', account: 'prod', region: 'local-west', image: 'storefront', first: 1,
    groups: [['1.5.0-h131', ['up']]],
    balancer: { name: 'storefront-prod-frontend', weight: 10 },
  },
  {
    cluster: 'payments-staging', account: 'staging', region: 'local-east', image: 'payments', first: 1,
    groups: [['2.1.0-h95', oos(1)], ['2.1.1-h102', ['up', 'up']]],
    balancer: { name: 'payments-staging-api', weight: 100 },
  },
  {
    cluster: 'payments-prod', account: 'prod', region: 'local-east', image: 'payments', first: 1,
    groups: [['2.0.3-h88', oos(2)], ['2.1.0-h95', oos(2)], ['2.1.1-h102', ['up', 'up', 'up']]],
    balancer: { name: 'payments-prod-api', weight: 100 },
  },
  {
    cluster: 'payments-prod', account: 'prod', region: 'local-west', image: 'payments', first: 3,
    groups: [['2.1.1-h102', ['up', 'starting']]],
    balancer: { name: 'payments-prod-api', weight: 100 },
  },
  {
    // No stack, only a detail: the settlement worker takes no HTTP traffic, so no balancer.
    cluster: 'payments--worker', account: 'prod', region: 'local-east', image: 'payments-worker', first: 1,
    groups: [['0.9.0-h40', oos(1)], ['0.9.1-h44', ['up', 'down']]],
  },
];

const hex = (text: string) => createHash('sha256').update(text).digest('hex');
const HOUR = 3_600_000;

function healthDetail(health: HealthState, address: string, n: number): string {
  switch (health) {
    case 'up':
      return `HTTP 200 from /health in ${8 + ((n * 7) % 37)} ms`;
    case 'down':
      return `connection refused on ${address}`;
    case 'starting':
      return 'waiting for report-ready';
    case 'out_of_service':
      return 'server group disabled: out of load balancer rotation';
    case 'unknown':
      return 'no health check has completed yet';
  }
}

export function buildDemoWorld(now: Date): DemoWorld {
  const at = (msAgo: number) => new Date(now.getTime() - msAgo).toISOString();
  let port = 41000;
  const serverGroups: ServerGroup[] = [];
  const targets = new Map<string, { lb: NonNullable<ClusterSpec['balancer']>; spec: ClusterSpec; targets: LoadBalancer['targets'] }>();

  CLUSTERS.forEach((spec, c) => {
    const moniker = parseMoniker(spec.cluster);
    if (!moniker.ok) throw new Error(`demo cluster ${spec.cluster}: ${moniker.reason}`);
    const { app, stack, detail } = moniker.moniker;
    spec.groups.forEach(([version, health], g) => {
      const newest = g === spec.groups.length - 1;
      const sequence = spec.first + g;
      const name = formatServerGroupName({ app, stack, detail, sequence });
      // Each older push is three days before the next; clusters are staggered by a few hours.
      const launchedMs = (spec.groups.length - 1 - g) * 72 * HOUR + (5 + c * 3) * HOUR;
      const instances = health.map((h, i) => {
        port += 1;
        const address = `127.0.0.1:${port}`;
        return {
          id: `i-${hex(`${spec.account}/${spec.region}/${name}/${i}`).slice(0, 10)}`,
          serverGroup: name,
          account: spec.account,
          region: spec.region,
          zone: `${spec.region}-${'abc'[i % 3]}`,
          health: h,
          healthDetail: healthDetail(h, address, port),
          address,
          // A starting instance is a fresh replacement; the others came up with their group.
          launchedAt: h === 'starting' ? at((2 + i) * 60_000) : at(launchedMs - (i + 1) * 45_000),
        };
      });
      serverGroups.push(
        ServerGroup.parse({
          name,
          application: app,
          cluster: spec.cluster,
          ...(stack ? { stack } : {}),
          ...(detail ? { detail } : {}),
          sequence,
          account: spec.account,
          region: spec.region,
          image: { name: spec.image, version, digest: `sha256:${hex(`${spec.image}:${version}`)}` },
          capacity: newest
            ? { min: 1, desired: health.length, max: health.length * 2 }
            : { min: 0, desired: health.length, max: health.length * 2 },
          disabled: !newest,
          loadBalancers: spec.balancer ? [spec.balancer.name] : [],
          instances,
          launchedAt: at(launchedMs),
        }),
      );
      if (newest && spec.balancer) {
        const key = `${spec.account}/${spec.region}/${spec.balancer.name}`;
        const entry = targets.get(key) ?? { lb: spec.balancer, spec, targets: [] };
        entry.targets.push({ serverGroup: name as LoadBalancer['targets'][number]['serverGroup'], weight: spec.balancer.weight });
        targets.set(key, entry);
      }
    });
  });

  const loadBalancers = [...targets.values()].map(({ lb, spec, targets: t }, i) =>
    LoadBalancer.parse({
      name: lb.name,
      application: lb.name.split('-')[0],
      account: spec.account,
      region: spec.region,
      protocol: 'http',
      address: `127.0.0.1:${39001 + i}`,
      healthCheckPath: '/health',
      targets: t,
    }),
  );

  return {
    project: NewProject.parse({
      name: DEMO_PROJECT,
      displayName: 'Demo: Storefront',
      description:
        'A made-up web shop to look around with: two applications deployed to staging and prod in two local regions, with canaries, disabled older versions and unhealthy instances.',
      ownerEmail: 'platform-team@example.com',
    }),
    applications: [
      { name: 'storefront', description: 'Customer-facing web shop: catalogue, cart and checkout pages.', owner: 'storefront-team' },
      { name: 'payments', description: 'Card payments API and the nightly settlement worker.', owner: 'payments-team' },
    ].map((a) =>
      NewApplication.parse({ name: a.name, project: DEMO_PROJECT, description: a.description, ownerEmail: `${a.owner}@example.com` }),
    ),
    accounts: [
      { name: 'staging', environment: 'staging' },
      { name: 'prod', environment: 'prod' },
    ].map((a) => Account.parse({ ...a, provider: 'local', regions: REGIONS, demo: true })),
    serverGroups,
    loadBalancers,
  };
}
