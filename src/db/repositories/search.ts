import type { SearchHit } from '../../shared/domain/search';
import { containsPattern } from '../sql';
import type { Queryable } from '../types';

/** The top bar's search across kinds, limited to the applications given (what the caller may read). */
export interface SearchRepository {
  search(q: string, applications: readonly string[], limit: number): Promise<SearchHit[]>;
}

// Exact matches first, then prefixes, then the rest by name: "web" puts `web` above `webhooks`.
const rank = (column: string) => `(lower(${column}) = lower($2)) desc, (${column} ilike ($3 || '%')) desc, ${column}`;
const prefixPattern = (q: string) => q.replace(/[\\%_]/g, (c) => `\\${c}`);
const EXECUTION_ID = /^[0-9a-f-]{4,36}$/i;

export function searchRepository(db: Queryable): SearchRepository {
  return {
    async search(q, applications, limit) {
      if (applications.length === 0) return imageHits(db, q, limit);
      const like = containsPattern(q);
      const args = [like, q, prefixPattern(q), [...applications], limit];
      const rows = async <T extends Record<string, unknown>>(sql: string) => (await db.query<T>(sql, args)).rows;
      const [apps, pipelines, clusters, groups, instances, lbs, images, executions] = await Promise.all([
        rows<{ name: string; project: string; description: string }>(
          `select name, project, description from applications where name = any($4) and (name ilike $1 or description ilike $1)
           order by ${rank('name')} limit $5`,
        ),
        rows<{ id: string; name: string; application: string }>(
          `select id::text as id, name, application from pipelines where application = any($4) and name ilike $1 order by ${rank('name')} limit $5`,
        ),
        rows<{ cluster: string; application: string; account: string; groups: number }>(
          `select cluster, application, account, count(*)::int as groups from server_groups
           where application = any($4) and cluster ilike $1 group by cluster, application, account order by ${rank('cluster')}, account limit $5`,
        ),
        rows<{ name: string; application: string; account: string; region: string; image: string; disabled: boolean }>(
          `select name, application, account, region, image_name || ':' || image_version as image, disabled from server_groups
           where application = any($4) and (name ilike $1 or (image_name || ':' || image_version) ilike $1)
           order by ${rank('name')}, account, region limit $5`,
        ),
        rows<{ id: string; address: string; serverGroup: string; account: string; region: string; application: string }>(
          `select i.id, i.address, i.server_group as "serverGroup", i.account, i.region, sg.application
           from instances i join server_groups sg on (sg.account, sg.region, sg.name) = (i.account, i.region, i.server_group)
           where sg.application = any($4) and (i.id ilike $1 or i.address ilike $1) order by ${rank('i.id')} limit $5`,
        ),
        rows<{ name: string; application: string; account: string; region: string; address: string }>(
          `select name, application, account, region, address from load_balancers
           where application = any($4) and (name ilike $1 or address ilike $1) order by ${rank('name')}, account, region limit $5`,
        ),
        imageHits(db, q, limit),
        EXECUTION_ID.test(q)
          ? (
              await db.query<{ id: string; application: string; pipelineName: string; status: string }>(
                `select id::text as id, application, pipeline_name as "pipelineName", status from executions
               where application = any($2) and id::text like ($1 || '%') order by created_at desc limit $3`,
                [prefixPattern(q.toLowerCase()), [...applications], limit],
              )
            ).rows
          : [],
      ]);
      return [
        ...apps.map((a): SearchHit => ({ kind: 'application', label: a.name, detail: [a.project, a.description].filter(Boolean).join(' · '), application: a.name })),
        ...pipelines.map((p): SearchHit => ({ kind: 'pipeline', label: p.name, detail: p.application, application: p.application, pipelineId: p.id })),
        ...clusters.map(
          (c): SearchHit => ({
            kind: 'cluster',
            label: c.cluster,
            detail: `${c.application} · ${c.account} · ${c.groups} server group${c.groups === 1 ? '' : 's'}`,
            application: c.application,
            account: c.account,
            cluster: c.cluster,
          }),
        ),
        ...groups.map(
          (g): SearchHit => ({
            kind: 'serverGroup',
            label: g.name,
            detail: `${g.image} · ${g.account}/${g.region}${g.disabled ? ' · disabled' : ''}`,
            application: g.application,
            account: g.account,
            region: g.region,
            serverGroup: g.name,
          }),
        ),
        ...instances.map(
          (i): SearchHit => ({
            kind: 'instance',
            label: i.id,
            detail: `${i.address} · ${i.serverGroup} · ${i.account}/${i.region}`,
            application: i.application,
            account: i.account,
            region: i.region,
            serverGroup: i.serverGroup,
            instanceId: i.id,
          }),
        ),
        ...images,
        ...executions.map(
          (e): SearchHit => ({ kind: 'execution', label: e.id, detail: `${e.pipelineName} · ${e.status} · ${e.application}`, application: e.application, executionId: e.id }),
        ),
        ...lbs.map(
          (l): SearchHit => ({
            kind: 'loadBalancer',
            label: l.name,
            detail: `${l.address} · ${l.account}/${l.region}`,
            application: l.application,
            account: l.account,
            region: l.region,
          }),
        ),
      ];
    },
  };
}

/** Images belong to no application: everyone signed in sees them. `shop-web:v2` finds that version. */
async function imageHits(db: Queryable, q: string, limit: number): Promise<SearchHit[]> {
  const { rows } = await db.query<{ name: string; version: number | null; latest: number }>(
    `select name, case when (name || ':v' || version) ilike $1 and $2 like '%:%' then version end as version, max(version) over (partition by name) as latest
     from images where name ilike $1 or (name || ':v' || version) ilike $1`,
    [containsPattern(q), q],
  );
  const seen = new Set<string>();
  const hits: SearchHit[] = [];
  for (const r of rows.sort((a, b) => a.name.localeCompare(b.name) || (b.version ?? 0) - (a.version ?? 0))) {
    const label = r.version ? `${r.name}:v${r.version}` : r.name;
    if (seen.has(label)) continue;
    seen.add(label);
    hits.push({ kind: 'image', label, detail: r.version ? 'image version' : `image · newest v${r.latest}`, image: r.name });
  }
  return hits.slice(0, limit);
}
