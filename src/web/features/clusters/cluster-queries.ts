import { queryOptions } from '@tanstack/react-query';
import { getServerGroup, getClusters } from '../../../shared/api/clusters';
import { getClusterOperation, getInstanceLog, listClusterOperations } from '../../../shared/api/server-groups';
import { isOperationActive } from '../../../shared/domain/cluster-operation';
import { listImageFlags } from '../../../shared/api/images';
import { apiFetch, endpointUrl } from '../../lib/api-client';
import { takePageStartFetch } from '../../lib/page-start';
import { queryKeys, type ServerGroupRef } from '../../lib/query-keys';
import type { ClusterFilters } from './cluster-filters';

/** How often live (local-cloud) groups are looked at again. */
const POLL_MS = 2000;

export const clustersViewQuery = (application: string, filters: ClusterFilters) =>
  queryOptions({
    queryKey: queryKeys.clusters.view(application, filters),
    queryFn: async ({ signal }) => {
      const call = { params: { application }, query: filters };
      // On a first visit index.html asked already, beside the dashboard's code; read and checked like any other answer.
      // Not a 401, though: that was asked before the reader signed in (the sign-in page came between).
      const early = await takePageStartFetch('__kilnEarlyClusters', endpointUrl(getClusters, call))?.catch(() => undefined);
      return apiFetch(getClusters, { ...call, signal, ...(early && early.status !== 401 ? { early: Promise.resolve(early) } : {}) });
    },
    // Groups the local cloud runs change on their own (instances start, die, heal): keep their health current.
    refetchInterval: (query) => (query.state.data?.accounts.some((a) => a.clusters.some((c) => c.regions.some((r) => r.serverGroups.some((g) => g.managedBy)))) ? POLL_MS : false),
  });

export const serverGroupQuery = (application: string, ref: ServerGroupRef) =>
  queryOptions({
    queryKey: queryKeys.clusters.serverGroup(application, ref),
    queryFn: ({ signal }) =>
      apiFetch(getServerGroup, {
        params: { application, account: ref.account, region: ref.region, serverGroup: ref.name },
        signal,
      }),
    refetchInterval: (query) => (query.state.data?.serverGroup.managedBy ? POLL_MS : false),
  });

/** The end of an instance's log; it grows while you read, so it is fetched again every few seconds. */
export const instanceLogQuery = (instanceId: string) =>
  queryOptions({
    queryKey: queryKeys.clusters.instanceLog(instanceId),
    queryFn: ({ signal }) => apiFetch(getInstanceLog, { params: { instanceId }, query: { maxBytes: '32768' }, signal }),
    refetchInterval: POLL_MS,
  });

/** Which groups run a revoked or out-of-date image; a channel move or revocation shows within seconds. */
export const imageFlagsQuery = (application: string) =>
  queryOptions({
    queryKey: queryKeys.clusters.imageFlags(application),
    queryFn: ({ signal }) => apiFetch(listImageFlags, { params: { application }, signal }),
    refetchInterval: 5000,
  });

/** A rollback's progress; live events refresh it, and it is looked at every second while it runs in case the stream is down. */
export const clusterOperationQuery = (application: string, operationId: string) =>
  queryOptions({
    queryKey: queryKeys.clusters.operation(application, operationId),
    queryFn: ({ signal }) => apiFetch(getClusterOperation, { params: { operationId }, signal }),
    refetchInterval: (query) => (query.state.data && !isOperationActive(query.state.data) ? false : 1000),
  });

/** The application's rollbacks under way, for the cards of the groups they swap. */
export const operationsUnderWayQuery = (application: string) =>
  queryOptions({
    queryKey: queryKeys.clusters.operationsUnderWay(application),
    queryFn: ({ signal }) => apiFetch(listClusterOperations, { params: { application }, query: { active: 'true' }, signal }),
    refetchInterval: POLL_MS,
  });
