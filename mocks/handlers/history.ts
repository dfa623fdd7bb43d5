import { listDeploymentHistory } from '../../src/shared/api/history';
import { aliveAt, type HistoryEntry } from '../../src/shared/domain/deployment-history';
import { db } from '../db';
import { handleEndpoint } from '../handle-endpoint';

const DAY = 86_400_000;

/**
 * The mock world's history: today's groups, plus each cluster's destroyed predecessor (two days
 * before its oldest group, destroyed when that one came), so "what ran on date X" has an answer.
 */
function entries(): HistoryEntry[] {
  const environment = (account: string) => db.accounts.find((a) => a.name === account)?.environment ?? 'other';
  const live = db.serverGroups.map(
    (g): HistoryEntry => ({
      application: g.application,
      account: g.account,
      region: g.region,
      cluster: g.cluster,
      serverGroup: g.name,
      environment: environment(g.account),
      image: `${g.image.name}:${g.image.version}`,
      createdAt: g.launchedAt,
      createdBy: 'ana',
      // A disabled group served until an hour ago; an enabled one since it was created.
      traffic: g.disabled
        ? [
            { at: g.launchedAt, enabled: true },
            { at: new Date(Math.max(Date.parse(g.launchedAt), Date.now() - 3_600_000)).toISOString(), enabled: false, by: 'bo' },
          ]
        : [{ at: g.launchedAt, enabled: true }],
    }),
  );
  const oldest = new Map<string, HistoryEntry>();
  for (const e of live) {
    const key = `${e.application}/${e.account}/${e.region}/${e.cluster}`;
    if (!oldest.has(key) || oldest.get(key)!.createdAt > e.createdAt) oldest.set(key, e);
  }
  const gone = [...oldest.values()].map(
    (e): HistoryEntry => ({
      ...e,
      serverGroup: `${e.cluster}-v000`,
      image: `${e.image.split(':')[0]}:0.9.0`,
      createdAt: new Date(Date.parse(e.createdAt) - 2 * DAY).toISOString(),
      destroyedAt: e.createdAt,
      destroyedBy: 'bo',
      traffic: [{ at: new Date(Date.parse(e.createdAt) - 2 * DAY).toISOString(), enabled: true }],
    }),
  );
  return [...live, ...gone].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export const historyHandlers = {
  listDeploymentHistory: handleEndpoint(listDeploymentHistory, ({ query }) => ({
    entries: entries().filter(
      (e) =>
        (!query.application || e.application === query.application) &&
        (!query.account || e.account === query.account) &&
        (!query.cluster || e.cluster === query.cluster) &&
        (!query.environment || e.environment === query.environment) &&
        (!query.at || aliveAt(e, new Date(query.at))),
    ),
  })),
};
