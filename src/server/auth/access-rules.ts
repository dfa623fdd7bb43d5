import type { FastifyRequest } from 'fastify';
import type { Endpoint } from '../../shared/api/endpoint';
import type { Permission } from '../../shared/domain/user';
import type { Repositories } from '../../db/types';
import { allEndpoints } from '../../shared/api/all';
import { triggerWebhook } from '../../shared/api/triggers';
import { IMAGE_DOWNLOAD_PATH } from '../../shared/api/images';

type Resolve = (request: FastifyRequest, repos: Repositories) => Promise<string | undefined>;
/** The 404 the route gives for an unknown id, word for word. */
export type Unknown = (request: FastifyRequest) => { message: string; field: string };

/**
 * What a route requires. `signedIn` routes filter what they return by READ themselves (lists);
 * `permission` routes name the application (and for cloud operations the account) they act on.
 */
export type Access =
  | { kind: 'public'; why: string }
  | { kind: 'signedIn' }
  | { kind: 'admin' }
  | {
      kind: 'permission';
      permission: Permission;
      application: Resolve;
      account?: (request: FastifyRequest) => string | undefined;
      /**
       * For things addressed by an opaque id (pipelines, executions, instances): someone who may not
       * read the application gets this 404, the same as for an id that names nothing, so ids cannot
       * be probed. Routes that name the application in their path keep the 403 naming what is missing.
       */
      unknown?: Unknown;
    };

const param = (name: string) => (request: FastifyRequest) => (request.params as Record<string, string | undefined>)[name];
const app: Resolve = async (request) => param('application')(request);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A malformed id names nothing: the route's own validation answers it with a 400.
const pipelineApp: Resolve = async (request, repos) => {
  const id = param('pipelineId')(request) ?? '';
  return UUID.test(id) ? (await repos.pipelines.get(id))?.application : undefined;
};
const executionApp: Resolve = async (request, repos) => repos.executions.applicationOf(param('executionId')(request) ?? '');
const instanceApp: Resolve = async (request, repos) => {
  const instance = await repos.instances.get(param('instanceId')(request) ?? '');
  if (!instance) return undefined;
  return (await repos.serverGroups.get({ account: instance.account, region: instance.region, name: instance.serverGroup }))?.application;
};
const operationApp: Resolve = async (request, repos) => {
  const id = param('operationId')(request) ?? '';
  return UUID.test(id) ? repos.clusterOperations.applicationOf(id) : undefined;
};
const bakeApp: Resolve = async (request, repos) => {
  const id = param('bakeId')(request) ?? '';
  return UUID.test(id) ? repos.executions.applicationOf(id) : undefined;
};
const unknownId =
  (noun: string, field: string): Unknown =>
  (request) => ({ message: `${noun} '${param(field)(request) ?? ''}' does not exist.`, field });
const UNKNOWN = new Map<Resolve, Unknown>([
  [pipelineApp, unknownId('Pipeline', 'pipelineId')],
  [executionApp, unknownId('Execution', 'executionId')],
  [instanceApp, unknownId('Instance', 'instanceId')],
  [operationApp, unknownId('Cluster operation', 'operationId')],
  [bakeApp, unknownId('Bake', 'bakeId')],
]);

const on = (permission: Permission, application: Resolve, account?: (request: FastifyRequest) => string | undefined): Access => {
  const unknown = UNKNOWN.get(application);
  return { kind: 'permission', permission, application, ...(account ? { account } : {}), ...(unknown ? { unknown } : {}) };
};
const read = (application: Resolve) => on('READ', application);
const cloudOp = on('EXECUTE', app, param('account'));

type EndpointName = keyof typeof allEndpoints;

/** Every endpoint's rule; the type makes a new endpoint without a rule fail `tsc`. */
const BY_ENDPOINT: Record<EndpointName, Access> = {
  getHealth: { kind: 'public', why: 'load balancers and monitors probe it' },
  listProjects: { kind: 'signedIn' },
  getProjectDashboard: { kind: 'signedIn' },
  createProject: { kind: 'admin' },
  updateProject: { kind: 'admin' },
  deleteProject: { kind: 'admin' },
  listApplications: { kind: 'signedIn' },
  getApplication: read(app),
  createApplication: { kind: 'admin' },
  // The application's own people may keep its description and owner current; only admins delete, as only they create.
  updateApplication: on('WRITE', app),
  deleteApplication: { kind: 'admin' },
  getClusters: read(app),
  getServerGroup: read(app),
  listLoadBalancers: read(app),
  getInstance: read(instanceApp),
  listAccounts: { kind: 'signedIn' },
  // Accounts hold no application data and their credentials are never returned: as readable as the list.
  getAccount: { kind: 'signedIn' },
  getAccountHealth: { kind: 'signedIn' },
  createAccount: { kind: 'admin' },
  updateAccount: { kind: 'admin' },
  deleteAccount: { kind: 'admin' },
  // Like accounts: what pipelines may name in a Jenkins stage, never the token; only admins change them.
  listCiServers: { kind: 'signedIn' },
  getCiServer: { kind: 'signedIn' },
  createCiServer: { kind: 'admin' },
  updateCiServer: { kind: 'admin' },
  deleteCiServer: { kind: 'admin' },
  translateButaneToIgnition: { kind: 'signedIn' },
  // Pure rendering of what the caller sends: nothing stored is read or written.
  renderProvisioning: { kind: 'signedIn' },
  listPipelines: read(app),
  createPipeline: on('WRITE', app),
  getPipeline: read(pipelineApp),
  savePipeline: on('WRITE', pipelineApp),
  validatePipelineEndpoint: { kind: 'signedIn' },
  // Converting is for making pipelines in the application: it needs what saving one needs.
  convertSpinnakerPipeline: on('WRITE', app),
  listPipelineRevisions: read(pipelineApp),
  restorePipelineRevision: on('WRITE', pipelineApp),
  deletePipeline: on('WRITE', pipelineApp),
  renamePipeline: on('WRITE', pipelineApp),
  // READ on the source here; the route checks WRITE on the application the copy goes to.
  duplicatePipeline: read(pipelineApp),
  startExecution: on('EXECUTE', pipelineApp),
  getExecution: read(executionApp),
  listExecutions: read(app),
  listAllExecutions: { kind: 'signedIn' },
  pauseExecution: on('EXECUTE', executionApp),
  resumeExecution: on('EXECUTE', executionApp),
  listExecutionNotifications: read(executionApp),
  cancelExecution: on('EXECUTE', executionApp),
  // Judging ships or stops a release: EXECUTE, then the stage's own rule (allowed roles, separation
  // of duties) in shared/domain/stage-rules.ts, checked by the engine.
  judgeStage: on('EXECUTE', executionApp),
  getExecutionLogs: read(executionApp),
  restartStage: on('EXECUTE', executionApp),
  skipStage: on('EXECUTE', executionApp),
  ignoreStageFailure: on('EXECUTE', executionApp),
  listPendingJudgments: { kind: 'signedIn' },
  getJudgmentContext: read(executionApp),
  enableServerGroup: cloudOp,
  disableServerGroup: cloudOp,
  resizeServerGroup: cloudOp,
  destroyServerGroup: cloudOp,
  rollbackCluster: cloudOp,
  // Who asked and why it failed is no more than the application's clusters and executions show.
  getClusterOperation: read(operationApp),
  listClusterOperations: read(app),
  setTrafficGuard: on('WRITE', app, param('account')),
  listTrafficGuards: read(app),
  getInstanceLog: read(instanceApp),
  // As the group's own operations: EXECUTE on the application and on the account it runs in.
  rebootInstance: cloudOp,
  terminateInstance: cloudOp,
  // Images and recipes belong to no one application: everyone signed in may read them; changing
  // the registry (recipes, channels, revocations) is for admins until images get owners.
  // Filters every kind of hit by READ itself (images are everyone's, as in listImages).
  searchEverything: { kind: 'signedIn' },
  // Filtered to the applications the caller may read, like the search.
  listDeploymentHistory: { kind: 'signedIn' },
  listImages: { kind: 'signedIn' },
  getImage: { kind: 'signedIn' },
  assignImageChannel: { kind: 'admin' },
  revokeImage: { kind: 'admin' },
  restoreImage: { kind: 'admin' },
  deleteImageVersion: { kind: 'admin' },
  // The stage cache holds every multi-stage recipe's build roots: an operator's view, as deleting versions is.
  getStageCache: { kind: 'admin' },
  clearStageCache: { kind: 'admin' },
  // Images belong to no application: the route checks EXECUTE on the account named in the body
  // (who may deploy there may put images where it pulls from) before anything is pushed.
  pushImageVersion: { kind: 'signedIn' },
  listRecipes: { kind: 'signedIn' },
  createRecipe: { kind: 'admin' },
  getRecipe: { kind: 'signedIn' },
  saveRecipe: { kind: 'admin' },
  listRecipeRevisions: { kind: 'signedIn' },
  // A bake on demand is a run of the application named in the path: what starting its pipelines
  // needs; the route also checks EXECUTE on each push account, as the bake stage does.
  startBake: on('EXECUTE', app),
  getBake: read(bakeApp),
  // Image → recipe → commit for a server group or instance: names no more than the images pages show.
  lookupImage: { kind: 'signedIn' },
  // Which of an application's server groups run a revoked or out-of-date image: as readable as its clusters.
  listImageFlags: read(app),
  setupAdmin: { kind: 'public', why: 'creates the first admin with the one-time setup token' },
  login: { kind: 'public', why: 'how a person signs in' },
  getSignInOptions: { kind: 'public', why: 'the sign-in page shows the single sign-on button before anyone is signed in' },
  logout: { kind: 'signedIn' },
  getMe: { kind: 'signedIn' },
  listApiTokens: { kind: 'signedIn' },
  createApiToken: { kind: 'signedIn' },
  revokeApiToken: { kind: 'signedIn' },
  listUsers: { kind: 'admin' },
  createUser: { kind: 'admin' },
  updateUser: { kind: 'admin' },
  listRoles: { kind: 'admin' },
  saveRole: { kind: 'admin' },
  deleteRole: { kind: 'admin' },
  listAudit: { kind: 'admin' },
};

/** Routes that are not shared endpoints (streams, documents, the SPA itself). */
const BY_ROUTE: Record<string, Access> = {
  'GET /api/events': { kind: 'signedIn' }, // the stream drops events of applications the user may not read
  'GET /api/auth/oidc/login': { kind: 'public', why: 'starts single sign-on (a redirect to the provider)' },
  'GET /api/auth/oidc/callback': { kind: 'public', why: "the provider's answer, verified by state, PKCE, nonce and the ID token's signature" },
  'GET /api/openapi.json': { kind: 'public', why: 'the API description holds no data' },
  [`GET ${IMAGE_DOWNLOAD_PATH}`]: { kind: 'signedIn' }, // an image's bytes, as readable as its registry page
  [`POST ${triggerWebhook.path}`]: { kind: 'public', why: 'webhooks prove who they are with the HMAC of the trigger secret' },
};

const rules = new Map<string, Access>(Object.entries(BY_ROUTE));
for (const [name, endpoint] of Object.entries(allEndpoints) as Array<[EndpointName, Endpoint]>) {
  rules.set(`${endpoint.method} ${endpoint.path}`, BY_ENDPOINT[name]);
}

/**
 * The rule of a registered route. Everything outside /api is the SPA and its assets (public: the
 * login page must load); an /api route without a rule gets none, and the auth plugin refuses it.
 */
export function accessFor(method: string, url: string | undefined): Access | undefined {
  if (url === undefined) return { kind: 'public', why: 'no route matched: the answer is a 404' };
  if (!url.startsWith('/api/') && url !== '/api') return { kind: 'public', why: 'the web app and its assets' };
  // Fastify answers HEAD with the GET route minus the body, so it must be exactly as guarded as GET.
  return rules.get(`${method === 'HEAD' ? 'GET' : method} ${url}`);
}
