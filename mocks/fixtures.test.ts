import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allEndpoints } from '../src/shared/api/all';
import { ApiError, buildPath, type Endpoint } from '../src/shared/api/endpoint';
import { Account } from '../src/shared/domain/account';
import { Application } from '../src/shared/domain/application';
import { LoadBalancer } from '../src/shared/domain/load-balancer';
import { parseMoniker } from '../src/shared/domain/moniker';
import { Project } from '../src/shared/domain/project';
import { ServerGroup } from '../src/shared/domain/server-group';
import { createDb, db, resetDb } from './db';
import { handlersByEndpoint } from './handlers';
import { server } from './node';
import { recipeRevisions, SHOP_WEB_RECIPE } from './handlers/recipes';
import { mockBakeExecution } from './handlers/bakes';
import { PAST_ROLLBACK } from './handlers/server-groups';

const ORIGIN = 'http://kiln.test';

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => resetDb());
afterAll(() => server.close());

async function call(endpoint: Endpoint, sample: Sample = {}) {
  sample.before?.();
  const url = new URL(buildPath(endpoint.path, sample.params ?? {}), ORIGIN);
  for (const [k, v] of Object.entries(sample.query ?? {})) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method: endpoint.method,
    ...(sample.body === undefined ? {} : { body: JSON.stringify(sample.body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

const groupOf = (sg: { application: string; account: string; region: string; name: string }) => ({
  application: sg.application,
  account: sg.account,
  region: sg.region,
  serverGroup: sg.name,
});
const MOCK_BAKE = mockBakeExecution('web', recipeRevisions.at(-1)!.recipe);
const SAMPLE_PIPELINE = db.pipelineRevisions[0]!.pipeline.id;
const SAMPLE_EXECUTION = db.executions[0]!.id;
const FAILED_EXECUTION = db.executions[1]!.id;

interface Sample {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** Puts the mock data in the state the call needs (e.g. a paused execution to resume). */
  before?: () => void;
}

// Typed by the endpoint names: a new endpoint needs a sample here, or the type check fails.
const samples: Record<keyof typeof allEndpoints, Sample> = {
  getHealth: {},
  listProjects: {},
  getProjectDashboard: { params: { project: 'shop' } },
  createProject: { body: { name: 'ops', displayName: 'Operations', ownerEmail: 'ops@example.com' } },
  listApplications: { query: { q: 'stock' } },
  getApplication: { params: { application: 'web' } },
  createApplication: { body: { name: 'search', project: 'shop', ownerEmail: 'search@example.com' } },
  getClusters: { params: { application: 'web' }, query: { region: 'us-east-1', showDisabled: 'false' } },
  getServerGroup: { params: { application: 'web', account: 'prod', region: 'us-east-1', serverGroup: 'web-prod-v003' } },
  listLoadBalancers: { params: { application: 'web' } },
  getInstance: { params: { instanceId: db.serverGroups[0]!.instances[0]!.id } },
  listAccounts: {},
  getAccount: { params: { account: 'prod' } },
  getAccountHealth: { params: { account: 'prod' } },
  createAccount: { body: { name: 'lab2', provider: 'docker', regions: ['local'], endpoint: { dockerHost: 'unix:///run/podman/podman.sock' } } },
  updateAccount: { params: { account: 'staging' }, body: { environment: 'test' } },
  deleteAccount: { params: { account: 'lab' } },
  listCiServers: {},
  getCiServer: { params: { server: 'ci' } },
  createCiServer: { body: { name: 'ci2', url: 'https://jenkins.example.com/', username: 'kiln', token: 'tok' } },
  updateCiServer: { params: { server: 'ci' }, body: { username: 'deployer' } },
  deleteCiServer: { params: { server: 'ci' } },
  enableServerGroup: { params: { application: 'web', account: 'prod', region: 'us-east-1', serverGroup: 'web-prod-v002' }, body: {} },
  disableServerGroup: { params: { application: 'web', account: 'prod', region: 'us-east-1', serverGroup: 'web-prod-v003' }, body: {} },
  resizeServerGroup: { params: { application: 'web', account: 'prod', region: 'us-east-1', serverGroup: 'web-prod-v003' }, body: { capacity: { desired: 2 } } },
  destroyServerGroup: { params: { application: 'web', account: 'prod', region: 'us-east-1', serverGroup: 'web-prod-v002' } },
  rollbackCluster: { params: { application: 'web', account: 'prod', region: 'us-east-1', cluster: 'web-prod' }, body: {} },
  getClusterOperation: { params: { operationId: PAST_ROLLBACK } },
  listClusterOperations: { params: { application: 'web' }, query: { active: 'true' } },
  setTrafficGuard: { params: { application: 'web', account: 'prod', cluster: 'web-prod' }, body: { enabled: true } },
  getInstanceLog: { params: { instanceId: db.serverGroups[0]!.instances[0]!.id } },
  rebootInstance: { params: { ...groupOf(db.serverGroups[0]!), instanceId: db.serverGroups[0]!.instances[0]!.id }, body: {} },
  terminateInstance: { params: { ...groupOf(db.serverGroups[0]!), instanceId: db.serverGroups[0]!.instances[0]!.id }, body: {} },
  listTrafficGuards: { params: { application: 'web' } },
  translateButaneToIgnition: { body: { butane: 'variant: flatcar\nversion: 1.0.0\n' } },
  renderProvisioning: { body: { intent: { hostname: 'web-1' }, format: 'cloud-init' } },
  listPipelines: { params: { application: 'web' } },
  createPipeline: { params: { application: 'web' }, body: { name: 'Nightly', stages: [{ refId: 'w', type: 'wait', name: 'Wait', config: { seconds: 5 } }] } },
  getPipeline: { params: { pipelineId: SAMPLE_PIPELINE } },
  savePipeline: { params: { pipelineId: SAMPLE_PIPELINE }, body: { baseRevision: 1, pipeline: { name: 'Deploy', stages: [] } } },
  validatePipelineEndpoint: { body: { application: 'web', name: 'x', stages: [] } },
  listPipelineRevisions: { params: { pipelineId: SAMPLE_PIPELINE } },
  restorePipelineRevision: { params: { pipelineId: SAMPLE_PIPELINE, revision: '1' }, body: { baseRevision: 1 } },
  renamePipeline: { params: { pipelineId: SAMPLE_PIPELINE }, body: { name: 'Ship it' } },
  duplicatePipeline: { params: { pipelineId: SAMPLE_PIPELINE }, body: {} },
  // A pipeline with no runs, made for the sample: the sample pipeline's runs are under way.
  deletePipeline: {
    params: { pipelineId: '0f0f0f0f-0000-4000-8000-000000000001' },
    before: () =>
      db.pipelineRevisions.push({
        ...db.pipelineRevisions[0]!,
        pipeline: { ...db.pipelineRevisions[0]!.pipeline, id: '0f0f0f0f-0000-4000-8000-000000000001' as never, name: 'Spare' },
      }),
  },
  startExecution: { params: { pipelineId: SAMPLE_PIPELINE }, body: { parameters: {} } },
  getExecution: { params: { executionId: SAMPLE_EXECUTION } },
  listExecutions: { params: { application: 'web' }, query: { limit: '10' } },
  listAllExecutions: { query: { status: 'RUNNING,SUSPENDED' } },
  pauseExecution: { params: { executionId: SAMPLE_EXECUTION }, body: { reason: 'checking an alert' } },
  resumeExecution: {
    params: { executionId: SAMPLE_EXECUTION },
    body: {},
    before: () => {
      db.executions[0] = { ...db.executions[0]!, status: 'PAUSED', paused: { by: 'ana', at: new Date(Date.now() - 60_000).toISOString(), totalMs: 0 } };
    },
  },
  listExecutionNotifications: { params: { executionId: SAMPLE_EXECUTION } },
  cancelExecution: { params: { executionId: SAMPLE_EXECUTION }, body: { reason: 'wrong build' } },
  judgeStage: { params: { executionId: SAMPLE_EXECUTION, refId: 'ok' }, body: { decision: 'approve' } },
  getExecutionLogs: { params: { executionId: SAMPLE_EXECUTION }, query: { after: '0' } },
  // Like the server, the mocks refuse to restart a stage while a stage after it still waits (the sample's judgment).
  restartStage: { params: { executionId: FAILED_EXECUTION, refId: 'test' }, body: {} },
  skipStage: { params: { executionId: SAMPLE_EXECUTION, refId: 'ok' }, body: { reason: 'approved on the phone' } },
  ignoreStageFailure: { params: { executionId: FAILED_EXECUTION, refId: 'test' }, body: { reason: 'known flake' } },
  listPendingJudgments: {},
  getJudgmentContext: { params: { executionId: SAMPLE_EXECUTION, refId: 'ok' } },
  setupAdmin: {
    body: { token: 'x', name: 'root', displayName: 'Root', password: 'a-long-password' },
    before: () => (db.auth.users = db.auth.users.map((u) => ({ ...u, admin: false }))),
  },
  login: { body: { name: 'bo', password: 'mock-password-123' } },
  getSignInOptions: {},
  logout: { body: {} },
  getMe: {},
  listApiTokens: {},
  createApiToken: { body: { name: 'ci' } },
  revokeApiToken: { params: { tokenId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' } },
  listUsers: {},
  createUser: { body: { name: 'cy', displayName: 'Cy', password: 'a-long-password' } },
  updateUser: { params: { name: 'bo' }, body: { disabled: true } },
  listRoles: {},
  saveRole: { params: { role: 'approvers' }, body: { grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] } },
  deleteRole: { params: { role: 'support' } },
  listAudit: { query: { q: 'pipelines' } },
  listImages: {},
  searchEverything: { query: { q: 'web' } },
  updateProject: { params: { project: 'shop' }, body: { description: 'The web shop' } },
  deleteProject: { params: { project: 'empty' }, before: () => db.projects.push({ ...db.projects[0]!, name: 'empty' as (typeof db.projects)[number]['name'], applications: [] }) },
  updateApplication: { params: { application: 'web' }, body: { ownerEmail: 'storefront@example.com' } },
  deleteApplication: {
    params: { application: 'lonely' },
    before: () => db.applications.push({ ...db.applications[0]!, name: 'lonely' as (typeof db.applications)[number]['name'] }),
  },
  listDeploymentHistory: { query: { application: 'web', environment: 'prod' } },
  getImage: { params: { name: 'shop-web' } },
  assignImageChannel: { params: { name: 'shop-web', channel: 'staging' }, body: { version: 'v3' } },
  revokeImage: { params: { name: 'node-base', version: 'v2' }, body: { reason: 'rebuilt with a patched kernel', at: '2030-01-01T00:00:00Z' } },
  deleteImageVersion: { params: { name: 'shop-web', version: 'v1' } },
  pushImageVersion: { params: { name: 'shop-web', version: 'v3' }, body: { account: 'lab' } },
  restoreImage: { params: { name: 'node-base', version: 'v1' }, body: { reason: 'the CVE does not apply: the affected module is not built' } },
  lookupImage: { query: { instanceId: db.serverGroups[0]!.instances[0]!.id } },
  listImageFlags: { params: { application: db.serverGroups[0]!.application } },
  listRecipes: {},
  convertSpinnakerPipeline: { params: { application: db.applications[0]!.name }, body: { pipeline: { name: 'x', stages: [{ refId: '1', type: 'wait', waitTime: 5 }] } } },
  createRecipe: { body: { yaml: 'name: api\nbuilder: bundle\nrun:\n  entrypoint: server.mjs\n' } },
  getRecipe: { params: { recipeId: SHOP_WEB_RECIPE } },
  saveRecipe: { params: { recipeId: SHOP_WEB_RECIPE }, body: { baseRevision: 2, recipe: { name: 'shop-web', description: 'edited' } } },
  listRecipeRevisions: { params: { recipeId: SHOP_WEB_RECIPE } },
  getStageCache: {},
  clearStageCache: {},
  startBake: { params: { application: 'web', recipe: 'shop-web' }, body: {} },
  getBake: {
    params: { bakeId: MOCK_BAKE.id },
    before: () => void db.executions.unshift(MOCK_BAKE),
  },
};

describe('fixtures', () => {
  it('all parse with the shared schemas', () => {
    const fresh = createDb();
    expect(() => {
      for (const p of fresh.projects) Project.parse(p);
      for (const a of fresh.applications) Application.parse(a);
      for (const a of fresh.accounts) Account.parse(a);
      for (const sg of fresh.serverGroups) ServerGroup.parse(sg);
      for (const lb of fresh.loadBalancers) LoadBalancer.parse(lb);
    }).not.toThrow();
  });

  it('are consistent: names follow the moniker, references resolve, instance ids are unique', () => {
    const { projects, applications, accounts, serverGroups, loadBalancers } = createDb();
    for (const sg of serverGroups) {
      const m = parseMoniker(sg.name);
      expect(m.ok && m.moniker.cluster === sg.cluster && m.moniker.app === sg.application).toBe(true);
      expect(applications.map((a) => a.name)).toContain(sg.application);
      expect(accounts.find((a) => a.name === sg.account)?.regions).toContain(sg.region);
      for (const lbName of sg.loadBalancers) expect(loadBalancers.map((lb) => lb.name)).toContain(lbName);
    }
    for (const a of applications) expect(projects.find((p) => p.name === a.project)?.applications).toContain(a.name);
    const ids = serverGroups.flatMap((sg) => sg.instances.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
    const health = new Set(serverGroups.flatMap((sg) => sg.instances.map((i) => i.health)));
    expect([...health].sort()).toEqual(['down', 'out_of_service', 'starting', 'unknown', 'up']);
  });
});

describe('handlers', () => {
  it('exist for every endpoint of the contract', () => {
    expect(Object.keys(handlersByEndpoint).sort()).toEqual(Object.keys(allEndpoints).sort());
  });

  it.each(Object.entries(allEndpoints))('%s answers with a schema-valid body', async (name, endpoint) => {
    const { status, json } = await call(endpoint, samples[name as keyof typeof allEndpoints]);
    expect(status).toBe(endpoint.status);
    expect(endpoint.response.safeParse(json).error).toBeUndefined();
  });

  it('answers 404 with an ApiError for unknown names', async () => {
    const cases: Array<[Endpoint, Record<string, string>, string]> = [
      [allEndpoints.getApplication, { application: 'ghost' }, 'application'],
      [allEndpoints.getClusters, { application: 'ghost' }, 'application'],
      [allEndpoints.getProjectDashboard, { project: 'atlantis' }, 'project'],
      [allEndpoints.getInstance, { instanceId: 'i-ffffffff99' }, 'instanceId'],
      [allEndpoints.getServerGroup, { application: 'web', account: 'prod', region: 'eu-west-1', serverGroup: 'web-prod-v001' }, 'serverGroup'],
    ];
    for (const [endpoint, params, field] of cases) {
      const { status, json } = await call(endpoint, { params });
      expect(status).toBe(404);
      expect(ApiError.parse(json)).toMatchObject({ error: 'not_found', field });
    }
    const { json } = await call(allEndpoints.getApplication, { params: { application: 'ghost' } });
    expect(json).toMatchObject({ message: "Application 'ghost' does not exist." });
  });

  it('answers 400 naming the field for a malformed query, path or body', async () => {
    const bad = await call(allEndpoints.getClusters, { params: { application: 'web' }, query: { showDisabled: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'bad_request', field: 'showDisabled' });
    expect((bad.json as ApiError).message).toContain("query parameter 'showDisabled'");
    const path = await call(allEndpoints.getServerGroup, {
      params: { application: 'web', account: 'prod', region: 'us-east-1', serverGroup: 'web-prod' },
    });
    expect(path.json).toMatchObject({ error: 'bad_request', field: 'serverGroup' });
    const body = await call(allEndpoints.createProject, { body: { name: 'x', displayName: 'X', ownerEmail: 'nope' } });
    expect(body).toMatchObject({ status: 400, json: { field: 'ownerEmail' } });
  });

  it('refuses duplicates with 409 and keeps what was created until reset', async () => {
    const again = await call(allEndpoints.createProject, { body: { name: 'shop', displayName: 'Shop', ownerEmail: 'a@b.co' } });
    expect(again).toMatchObject({ status: 409, json: { error: 'conflict', field: 'name' } });
    await call(allEndpoints.createApplication, samples.createApplication);
    const list = await call(allEndpoints.listApplications);
    expect((list.json as Array<{ name: string }>).map((a) => a.name)).toContain('search');
    const orphan = await call(allEndpoints.createApplication, {
      body: { name: 'lost', project: 'nowhere', ownerEmail: 'a@b.co' },
    });
    expect(orphan).toMatchObject({ status: 404, json: { field: 'project' } });
  });

  it('filters the clusters view with the shared grouping', async () => {
    const { json } = await call(allEndpoints.getClusters, samples.getClusters);
    const view = allEndpoints.getClusters.response.parse(json);
    expect(view.totalServerGroups).toBe(7);
    expect(view.shownServerGroups).toBe(4);
    expect(view.facets.regions).toEqual(['eu-west-1', 'us-east-1']);
  });
});
