import { queryOptions } from '@tanstack/react-query';
import { getApplication, listApplications } from '../../../shared/api/applications';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

export const applicationsQuery = (filters: { q?: string | undefined; project?: string | undefined } = {}) =>
  queryOptions({
    queryKey: queryKeys.applications.list(filters),
    queryFn: ({ signal }) => apiFetch(listApplications, { query: filters, signal }),
  });

export const applicationQuery = (application: string) =>
  queryOptions({
    queryKey: queryKeys.applications.detail(application),
    queryFn: ({ signal }) => apiFetch(getApplication, { params: { application }, signal }),
  });
