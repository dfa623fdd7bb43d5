import type { z } from 'zod';
import type { ClustersQuery } from '../../shared/api/clusters';

/** Names a server group: names are unique per account and region. */
export interface ServerGroupRef {
  account: string;
  region: string;
  name: string;
}

const projects = ['projects'] as const;
const applications = ['applications'] as const;
const clusters = ['clusters'] as const;
const pipelines = ['pipelines'] as const;
const executions = ['executions'] as const;
const approvals = ['approvals'] as const;
const auth = ['auth'] as const;
const images = ['images'] as const;
const search = ['search'] as const;
const history = ['history'] as const;

/**
 * Every query key of the dashboard, as a factory (TkDodo's pattern): prefixes let a mutation or a
 * live event invalidate "everything about application web" with one call.
 */
export const queryKeys = {
  auth: {
    all: auth,
    me: () => [...auth, 'me'] as const,
    signInOptions: () => [...auth, 'sign-in-options'] as const,
    tokens: () => [...auth, 'tokens'] as const,
    users: () => [...auth, 'users'] as const,
    roles: () => [...auth, 'roles'] as const,
    audit: (filter: { actor?: string; action?: string; q?: string }) => [...auth, 'audit', filter] as const,
  },
  projects: {
    all: projects,
    list: () => [...projects, 'list'] as const,
    dashboard: (project: string) => [...projects, 'dashboard', project] as const,
  },
  applications: {
    all: applications,
    list: (filters: { q?: string | undefined; project?: string | undefined }) => [...applications, 'list', filters] as const,
    detail: (application: string) => [...applications, 'detail', application] as const,
  },
  clusters: {
    all: clusters,
    forApplication: (application: string) => [...clusters, application] as const,
    view: (application: string, filters: z.input<typeof ClustersQuery>) => [...clusters, application, 'view', filters] as const,
    serverGroup: (application: string, ref: ServerGroupRef) => [...clusters, application, 'server-group', ref.account, ref.region, ref.name] as const,
    instanceLog: (instanceId: string) => [...clusters, 'instance-log', instanceId] as const,
    trafficGuards: (application: string) => [...clusters, application, 'traffic-guards'] as const,
    imageFlags: (application: string) => [...clusters, application, 'image-flags'] as const,
    loadBalancers: (application: string) => [...clusters, application, 'load-balancers'] as const,
    /** Under the application's prefix: a live event about one refreshes its clusters and its operations together. */
    operationsUnderWay: (application: string) => [...clusters, application, 'operations', 'active'] as const,
    operation: (application: string, operationId: string) => [...clusters, application, 'operation', operationId] as const,
  },
  pipelines: {
    all: pipelines,
    list: (application: string) => [...pipelines, 'list', application] as const,
    detail: (pipelineId: string) => [...pipelines, 'detail', pipelineId] as const,
    revisions: (pipelineId: string) => [...pipelines, 'revisions', pipelineId] as const,
  },
  accounts: {
    all: ['accounts'] as const,
    list: () => ['accounts', 'list'] as const,
    health: (account: string) => ['accounts', 'health', account] as const,
  },
  ciServers: {
    all: ['ci-servers'] as const,
  },
  executions: {
    all: executions,
    /** Every list of one application (any filter), so a live event refreshes them all. */
    forApplication: (application: string) => [...executions, 'list', application] as const,
    list: (application: string, filters: Record<string, string | undefined>) => [...executions, 'list', application, filters] as const,
    running: () => [...executions, 'running'] as const,
    detail: (executionId: string) => [...executions, 'detail', executionId] as const,
  },
  approvals: {
    all: approvals,
    pending: () => [...approvals, 'pending'] as const,
    context: (executionId: string, refId: string) => [...approvals, 'context', executionId, refId] as const,
  },
  images: {
    all: images,
    list: () => [...images, 'list'] as const,
    detail: (name: string) => [...images, 'detail', name] as const,
    recipes: () => [...images, 'recipes'] as const,
    recipe: (recipeId: string) => [...images, 'recipe', recipeId] as const,
    recipeRevisions: (recipeId: string) => [...images, 'recipe', recipeId, 'revisions'] as const,
  },
  history: {
    all: history,
    list: (filters: Record<string, string | undefined>) => [...history, filters] as const,
  },
  search: {
    all: search,
    results: (q: string) => [...search, q] as const,
  },
};
