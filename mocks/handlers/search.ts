import { searchEverything } from '../../src/shared/api/search';
import { SEARCH_LIMIT, type SearchHit } from '../../src/shared/domain/search';
import { db } from '../db';
import { handleEndpoint } from '../handle-endpoint';
import { versions } from './images';

/** The same kinds and references as the BFF; mock mode signs in an admin, so everything is readable. */
export const searchHandlers = {
  searchEverything: handleEndpoint(searchEverything, ({ query }) => {
    const q = query.q.toLowerCase();
    const has = (...values: string[]) => values.some((v) => v.toLowerCase().includes(q));
    const take = (hits: SearchHit[]) => hits.slice(0, SEARCH_LIMIT);
    const pipelines = new Map(db.pipelineRevisions.map((r) => [r.pipeline.id, r.pipeline]));
    const clusters = new Map(db.serverGroups.map((g) => [`${g.application}/${g.account}/${g.cluster}`, g]));
    const imageNames = [...new Set(versions().map((v) => v.name))];
    const hits: SearchHit[] = [
      ...take(db.applications.filter((a) => has(a.name, a.description)).map((a) => ({ kind: 'application', label: a.name, detail: a.project, application: a.name }))),
      ...take(
        [...pipelines.values()].filter((p) => has(p.name)).map((p) => ({ kind: 'pipeline', label: p.name, detail: p.application, application: p.application, pipelineId: p.id })),
      ),
      ...take(
        [...clusters.values()]
          .filter((g) => has(g.cluster))
          .map((g) => ({ kind: 'cluster', label: g.cluster, detail: `${g.application} · ${g.account}`, application: g.application, account: g.account, cluster: g.cluster })),
      ),
      ...take(
        db.serverGroups
          .filter((g) => has(g.name, `${g.image.name}:${g.image.version}`))
          .map((g) => ({
            kind: 'serverGroup',
            label: g.name,
            detail: `${g.image.name}:${g.image.version} · ${g.account}/${g.region}${g.disabled ? ' · disabled' : ''}`,
            application: g.application,
            account: g.account,
            region: g.region,
            serverGroup: g.name,
          })),
      ),
      ...take(
        db.serverGroups.flatMap((g) =>
          g.instances
            .filter((i) => has(i.id, i.address))
            .map((i) => ({
              kind: 'instance' as const,
              label: i.id,
              detail: `${i.address} · ${g.name} · ${g.account}/${g.region}`,
              application: g.application,
              account: g.account,
              region: g.region,
              serverGroup: g.name,
              instanceId: i.id,
            })),
        ),
      ),
      ...take(
        q.includes(':')
          ? versions()
              .filter((v) => has(`${v.name}:${v.version}`))
              .map((v) => ({ kind: 'image', label: `${v.name}:${v.version}`, detail: 'image version', image: v.name }))
          : imageNames.filter((n) => has(n)).map((n) => ({ kind: 'image', label: n, detail: 'image', image: n })),
      ),
      ...take(
        /^[0-9a-f-]{4,36}$/.test(q)
          ? db.executions
              .filter((e) => e.id.startsWith(q))
              .map((e) => ({ kind: 'execution', label: e.id, detail: `${e.pipelineName} · ${e.status}`, application: e.application, executionId: e.id }))
          : [],
      ),
      ...take(
        db.loadBalancers
          .filter((l) => has(l.name, l.address))
          .map((l) => ({
            kind: 'loadBalancer',
            label: l.name,
            detail: `${l.address} · ${l.account}/${l.region}`,
            application: l.application,
            account: l.account,
            region: l.region,
          })),
      ),
    ];
    return { q: query.q, hits };
  }),
};
