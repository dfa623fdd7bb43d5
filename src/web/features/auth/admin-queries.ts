import { queryOptions } from '@tanstack/react-query';
import { listAudit, listRoles, listUsers } from '../../../shared/api/auth';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

export const usersQuery = () => queryOptions({ queryKey: queryKeys.auth.users(), queryFn: ({ signal }) => apiFetch(listUsers, { signal }) });
export const rolesQuery = () => queryOptions({ queryKey: queryKeys.auth.roles(), queryFn: ({ signal }) => apiFetch(listRoles, { signal }) });
export const auditQuery = (filter: { actor?: string; action?: string; q?: string }) =>
  queryOptions({ queryKey: queryKeys.auth.audit(filter), queryFn: ({ signal }) => apiFetch(listAudit, { query: filter, signal }) });
