import { queryOptions } from '@tanstack/react-query';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

// The projects list is the first page: its endpoints (and zod) load beside its request, not with the first paint.
const projectsApi = () => import('../../../shared/api/projects');

export const projectsQuery = () =>
  queryOptions({
    queryKey: queryKeys.projects.list(),
    queryFn: async ({ signal }) => apiFetch((await projectsApi()).listProjects, { signal }),
  });

export const projectDashboardQuery = (project: string) =>
  queryOptions({
    queryKey: queryKeys.projects.dashboard(project),
    queryFn: async ({ signal }) =>
      apiFetch((await projectsApi()).getProjectDashboard, {
        params: { project },
        signal,
      }),
  });
