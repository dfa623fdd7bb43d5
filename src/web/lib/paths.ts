import type { ServerGroupRef } from './query-keys';

/** URL builders for the dashboard's pages, so a route change is one edit. */
const seg = encodeURIComponent;

function withSearch(path: string, search: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) if (value) params.set(key, value);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** `account/region/name`: none of the three may hold a slash, so the split is unambiguous. */
export function formatServerGroupRef(ref: ServerGroupRef): string {
  return `${ref.account}/${ref.region}/${ref.name}`;
}

export function parseServerGroupRef(value: string | null): ServerGroupRef | undefined {
  const [account, region, name, ...rest] = (value ?? '').split('/');
  if (!account || !region || !name || rest.length > 0) return undefined;
  return { account, region, name };
}

export const paths = {
  signIn: (next?: string) => withSearch('/sign-in', { next }),
  setup: () => '/setup',
  apiTokens: () => '/account/tokens',
  adminUsers: () => '/admin/users',
  adminAccounts: () => '/admin/accounts',
  adminCiServers: () => '/admin/ci-servers',
  audit: () => '/admin/audit',
  projects: () => '/projects',
  project: (project: string) => `/projects/${seg(project)}`,
  applications: (q?: string) => withSearch('/applications', { q }),
  application: (application: string) => `/applications/${seg(application)}`,
  applicationPipelines: (application: string) => `/applications/${seg(application)}/pipelines`,
  pipelineEditor: (application: string, pipelineId: string) => `/applications/${seg(application)}/pipelines/${seg(pipelineId)}/edit`,
  applicationClusters: (application: string, options: { select?: ServerGroupRef } = {}) =>
    withSearch(`/applications/${seg(application)}/clusters`, {
      sg: options.select ? formatServerGroupRef(options.select) : undefined,
    }),
  applicationHistory: (application: string, filters: Record<string, string | undefined> = {}) => withSearch(`/applications/${seg(application)}/history`, filters),
  applicationExecutions: (application: string, filters: Record<string, string | undefined> = {}) => withSearch(`/applications/${seg(application)}/executions`, filters),
  execution: (application: string, executionId: string, options: { stage?: string } = {}) =>
    withSearch(`/applications/${seg(application)}/executions/${seg(executionId)}`, { stage: options.stage }),
  runningNow: () => '/running',
  history: (filters: Record<string, string | undefined> = {}) => withSearch('/history', filters),
  approvals: () => '/approvals',
  images: () => '/images',
  image: (name: string) => `/images/${seg(name)}`,
  recipe: (recipeId: string) => `/images/recipes/${seg(recipeId)}`,
};
