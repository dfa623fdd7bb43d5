import { queryOptions } from '@tanstack/react-query';
import { getProjectDashboard, listProjects } from '../../../shared/api/projects';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

export const projectsQuery = () =>
  queryOptions({
    queryKey: queryKeys.projects.list(),
    queryFn: ({ signal }) => apiFetch(listProjects, { signal }),
  });

export const projectDashboardQuery = (project: string) =>
  queryOptions({
    queryKey: queryKeys.projects.dashboard(project),
    queryFn: ({ signal }) => apiFetch(getProjectDashboard, { params: { project }, signal }),
  });
