import { Pipeline } from '../src/shared/domain/pipeline';
import { Execution } from '../src/shared/domain/execution';
import type { PipelineRevision } from '../src/shared/api/pipelines';
import { Account } from '../src/shared/domain/account';
import { CiServer } from '../src/shared/domain/ci-server';
import { Application } from '../src/shared/domain/application';
import type { HealthState } from '../src/shared/domain/instance';
import { LoadBalancer } from '../src/shared/domain/load-balancer';
import { parseMoniker } from '../src/shared/domain/moniker';
import { Project } from '../src/shared/domain/project';
import { ServerGroup } from '../src/shared/domain/server-group';
import { createMockAuth, type MockAuth } from './auth-db';

/** The in-memory world MSW answers from; handlers mutate it (POST) and tests reset it. */
export interface MockDb {
  projects: Project[];
  applications: Application[];
  accounts: Account[];
  /** Jenkins servers; their tokens are never in the mock either, only who set them. */
  ciServers: CiServer[];
  serverGroups: ServerGroup[];
  loadBalancers: LoadBalancer[];
  /** Every revision of every pipeline, newest last; the newest is the pipeline. Stored with secrets, like the database. */
  pipelineRevisions: Array<Omit<PipelineRevision, 'pipeline'> & { pipeline: Pipeline }>;
  executions: Execution[];
  auth: MockAuth;
}

const HOUR = 3_600_000;

const HEALTH_DETAIL: Record<HealthState, string> = {
  up: 'HTTP 200 from /health in 4 ms',
  down: 'HTTP 503 from /health (3 checks in a row)',
  starting: 'waiting for the instance to report ready',
  out_of_service: 'server group is disabled: taken out of the load balancer',
  unknown: 'no health check has run yet',
};

interface GroupSpec {
  account: string;
  region: string;
  name: string;
  health: HealthState[];
  disabled?: boolean;
  version: string;
  hoursAgo: number;
  loadBalancers?: string[];
  capacity?: { min: number; max: number };
}

/**
 * Builds a server group from its name, so application/cluster/stack/detail/sequence always agree
 * with the moniker rules the BFF enforces. Instance ids come from `nextId` to stay unique.
 */
function serverGroup(spec: GroupSpec, now: number, nextId: () => number): ServerGroup {
  const parsed = parseMoniker(spec.name);
  if (!parsed.ok) throw new Error(`fixture ${spec.name}: ${parsed.reason}`);
  const { app, stack, detail, cluster, sequence } = parsed.moniker;
  const launchedAt = new Date(now - spec.hoursAgo * HOUR).toISOString();
  const zones = ['a', 'b', 'c'];
  return ServerGroup.parse({
    name: spec.name,
    application: app,
    cluster,
    ...(stack ? { stack } : {}),
    ...(detail ? { detail } : {}),
    sequence,
    account: spec.account,
    region: spec.region,
    image: { name: app, version: spec.version },
    capacity: { min: spec.capacity?.min ?? 1, desired: spec.health.length, max: spec.capacity?.max ?? 6 },
    disabled: spec.disabled ?? false,
    loadBalancers: spec.loadBalancers ?? [],
    instances: spec.health.map((health, i) => {
      const n = nextId();
      return {
        // Spread out so ids look like real ones rather than a visible counter.
        id: `i-${(0x3f2a10 + n * 4099).toString(16).padStart(8, '0')}`,
        serverGroup: spec.name,
        account: spec.account,
        region: spec.region,
        zone: `${spec.region}${zones[i % zones.length]}`,
        health,
        healthDetail: HEALTH_DETAIL[health],
        address: `127.0.0.1:${41000 + n}`,
        launchedAt: new Date(now - spec.hoursAgo * HOUR + 90_000).toISOString(),
      };
    }),
    launchedAt,
  });
}

const GROUPS: GroupSpec[] = [
  // A red/black deploy in progress in us-east: v003 takes traffic next to v002, v001 is parked.
  {
    account: 'prod',
    region: 'us-east-1',
    name: 'web-prod-v001',
    health: ['out_of_service', 'out_of_service'],
    disabled: true,
    version: '2.3.0',
    hoursAgo: 340,
    loadBalancers: ['web-prod-frontend'],
  },
  { account: 'prod', region: 'us-east-1', name: 'web-prod-v002', health: ['up', 'up', 'up'], version: '2.4.1', hoursAgo: 170, loadBalancers: ['web-prod-frontend'] },
  { account: 'prod', region: 'us-east-1', name: 'web-prod-v003', health: ['up', 'up', 'starting'], version: '2.5.0', hoursAgo: 0.4, loadBalancers: ['web-prod-frontend'] },
  { account: 'prod', region: 'eu-west-1', name: 'web-prod-v002', health: ['up', 'up'], version: '2.4.1', hoursAgo: 168, loadBalancers: ['web-prod-frontend-eu'] },
  { account: 'prod', region: 'eu-west-1', name: 'web-prod-v003', health: ['up', 'down'], version: '2.5.0', hoursAgo: 0.3, loadBalancers: ['web-prod-frontend-eu'] },
  { account: 'staging', region: 'us-east-1', name: 'web-staging-v003', health: ['up'], version: '2.5.0', hoursAgo: 26 },
  { account: 'staging', region: 'us-east-1', name: 'web-staging-canary-v001', health: ['unknown'], version: '2.6.0-rc.1', hoursAgo: 2 },
  {
    account: 'prod',
    region: 'us-east-1',
    name: 'checkout-prod-v011',
    health: ['out_of_service'],
    disabled: true,
    version: '5.1.2',
    hoursAgo: 720,
    loadBalancers: ['checkout-prod'],
  },
  { account: 'prod', region: 'us-east-1', name: 'checkout-prod-v012', health: ['up', 'up'], version: '5.2.0', hoursAgo: 49, loadBalancers: ['checkout-prod'] },
  { account: 'staging', region: 'us-east-1', name: 'checkout-staging-v012', health: ['up', 'starting'], version: '5.2.0', hoursAgo: 52 },
  { account: 'prod', region: 'eu-west-1', name: 'inventory--worker-v001', health: ['up', 'down'], version: '0.9.4', hoursAgo: 400 },
  { account: 'staging', region: 'eu-west-1', name: 'inventory-staging-v002', health: ['starting'], version: '1.0.0-beta.2', hoursAgo: 1.2 },
];

export function createDb(now: number = Date.now()): MockDb {
  let id = 0;
  const nextId = () => (id += 1);
  const createdAt = new Date(now - 30 * 24 * HOUR).toISOString();

  const projects = [
    Project.parse({
      name: 'shop',
      displayName: 'Online Shop',
      description: 'Storefront, checkout and stock keeping of the demo web shop.',
      ownerEmail: 'shop-team@example.com',
      applications: ['web', 'checkout', 'inventory'],
      demo: true,
      createdAt,
    }),
    Project.parse({
      name: 'platform',
      displayName: 'Platform',
      description: 'Shared services run by the platform team.',
      ownerEmail: 'platform@example.com',
      applications: ['ledger'],
      demo: false,
      createdAt,
    }),
  ];

  const app = (name: string, project: string, description: string, demo: boolean) =>
    Application.parse({ name, project, description, ownerEmail: `${name}@example.com`, demo, createdAt });
  const applications = [
    app('web', 'shop', 'Customer-facing storefront (server-rendered pages and the product API).', true),
    app('checkout', 'shop', 'Cart, payment and order confirmation.', true),
    app('inventory', 'shop', 'Stock levels and the nightly warehouse sync worker.', true),
    // Not demo, and never deployed: shows the "no server groups yet" state.
    app('ledger', 'platform', 'Double-entry bookkeeping for invoices.', false),
  ];

  const accounts = [
    Account.parse({ name: 'prod', provider: 'local', environment: 'prod', regions: ['eu-west-1', 'us-east-1'], demo: true }),
    Account.parse({ name: 'staging', provider: 'local', environment: 'staging', regions: ['eu-west-1', 'us-east-1'], demo: true }),
    // A container engine account with nothing deployed yet: what an admin adds beside the demo.
    Account.parse({
      name: 'lab',
      provider: 'docker',
      environment: 'dev',
      regions: ['local'],
      demo: false,
      endpoint: { dockerHost: 'unix:///run/podman/podman.sock', registry: 'registry.example.com/lab' },
      credentials: { setAt: createdAt, setBy: 'admin' },
    }),
  ];

  const serverGroups = GROUPS.map((spec) => serverGroup(spec, now, nextId));

  const lb = (name: string, application: string, region: string, port: number, targets: Array<[string, number]>) =>
    LoadBalancer.parse({
      name,
      application,
      account: 'prod',
      region,
      protocol: 'http',
      address: `127.0.0.1:${port}`,
      healthCheckPath: '/health',
      targets: targets.map(([serverGroup, weight]) => ({ serverGroup, weight })),
    });
  const loadBalancers = [
    lb('web-prod-frontend', 'web', 'us-east-1', 39000, [
      ['web-prod-v001', 0],
      ['web-prod-v002', 50],
      ['web-prod-v003', 50],
    ]),
    lb('web-prod-frontend-eu', 'web', 'eu-west-1', 39001, [
      ['web-prod-v002', 80],
      ['web-prod-v003', 20],
    ]),
    lb('checkout-prod', 'checkout', 'us-east-1', 39010, [
      ['checkout-prod-v011', 0],
      ['checkout-prod-v012', 100],
    ]),
  ];

  const pipelineRevisions = [samplePipeline(createdAt)];
  const executions = [sampleExecution(pipelineRevisions[0]!.pipeline, now), sampleFailedExecution(pipelineRevisions[0]!.pipeline, now)];
  const ciServers = [CiServer.parse({ name: 'ci', kind: 'jenkins', url: 'https://ci.example.com', username: 'kiln', token: { setAt: createdAt, setBy: 'ana' } })];
  return { projects, applications, accounts, ciServers, serverGroups, loadBalancers, pipelineRevisions, executions, auth: createMockAuth(createdAt) };
}

function samplePipeline(at: string): MockDb['pipelineRevisions'][number] {
  const pipeline = Pipeline.parse({
    id: '0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01',
    application: 'web',
    name: 'Deploy to production',
    stages: [
      { refId: 'test', type: 'runJob', name: 'Tests', config: { command: 'npm test' } },
      { refId: 'ok', type: 'manualJudgment', name: 'Approve', requisiteStageRefIds: ['test'], config: { instructions: 'Ship it?' } },
    ],
    // A webhook and a notification with credentials, so mock mode shows how write-only secrets look.
    triggers: [
      { type: 'manual', id: 'manual' },
      { type: 'webhook', id: 'ci-webhook', secret: 'mock-mode-secret-never-shown', secretSetAt: at, secretSetBy: 'ana', runAs: 'ana', setAt: at },
    ],
    notifications: [{ url: 'https://hooks.example.com/deploys?channel=web&token=mock-token-never-shown', events: ['failed'], credentialsSetAt: at, credentialsSetBy: 'ana' }],
    revision: 1,
    updatedAt: at,
    updatedBy: 'anonymous',
  });
  return { revision: 1, updatedAt: at, updatedBy: 'anonymous', pipeline };
}

/** An execution waiting on its judgment, so the approve and reject paths have something to act on. */
function sampleExecution(pipeline: Pipeline, now: number): Execution {
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  return Execution.parse({
    id: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
    application: pipeline.application,
    pipelineId: pipeline.id,
    pipelineName: pipeline.name,
    pipelineRevision: pipeline.revision,
    status: 'RUNNING',
    trigger: { type: 'manual', user: 'ana', parameters: {} },
    createdAt: at(12),
    startedAt: at(12),
    stages: pipeline.stages.map((s, i) => ({
      ...s,
      status: i === 0 ? 'SUCCEEDED' : 'SUSPENDED',
      startedAt: at(12 - i * 4),
      ...(i === 0 ? { endedAt: at(8) } : {}),
    })),
  });
}

/** An execution whose tests failed, so restart, skip and ignore-failure have something to act on. */
function sampleFailedExecution(pipeline: Pipeline, now: number): Execution {
  const at = new Date(now - 90 * 60_000).toISOString();
  return Execution.parse({
    id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    application: pipeline.application,
    pipelineId: pipeline.id,
    pipelineName: pipeline.name,
    pipelineRevision: pipeline.revision,
    status: 'TERMINAL',
    trigger: { type: 'manual', user: 'bo', parameters: {} },
    createdAt: at,
    startedAt: at,
    endedAt: at,
    stages: pipeline.stages.map((s, i) => ({
      ...s,
      status: i === 0 ? 'TERMINAL' : 'NOT_STARTED',
      ...(i === 0 ? { startedAt: at, endedAt: at, error: 'the job exited with code 1 (success: 0)' } : {}),
    })),
  });
}

/** Shared by the browser worker and the node server; `resetDb` restores it between tests. */
export const db: MockDb = createDb();

export function resetDb(): void {
  Object.assign(db, createDb());
}
