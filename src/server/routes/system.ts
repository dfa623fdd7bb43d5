import type { FastifyInstance } from 'fastify';
import { getHealth, Health } from '../../shared/api/system';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { quarantinedRows } from '../../db/quarantine';
import { afterIo, freshRead } from '../read-models/fresh-read';

export function systemRoutes(app: FastifyInstance, deps: AppDeps): void {
  const startedAt = Date.now();
  // Every answer comes from a probe that started after the request arrived (a database that went
  // down a moment ago is never reported up), yet all requests that arrive in one event-loop turn
  // share that probe: under load health costs one query per turn rather than one per request.
  const probeDatabase = freshRead(async () => {
    const t0 = performance.now();
    let ok = true;
    try {
      await deps.db.query('select 1');
    } catch (err) {
      app.log.warn({ err }, 'health: database unreachable');
      ok = false;
    }
    return { ok, latencyMs: Math.round((performance.now() - t0) * 100) / 100 };
  }, afterIo);
  // The answer is the same for every caller of one probe (but admins while rows are quarantined,
  // who also see which): built and serialized once per probe and second instead of once per request.
  // Monitoring often calls with an admin's token, so an admin shares it too when there is nothing
  // only an admin may see (the answers are then identical).
  let shared: { probe: object; uptimeSec: number; count: number; json: string } | undefined;
  registerEndpoint(app, getHealth, async ({ request, reply }) => {
    const probe = await probeDatabase();
    const quarantined = quarantinedRows();
    const uptimeSec = Math.round((Date.now() - startedAt) / 1000);
    const personal = quarantined.length > 0 && request.me?.user.admin === true;
    if (!personal && shared?.probe === probe && shared.uptimeSec === uptimeSec && shared.count === quarantined.length) {
      reply.type('application/json; charset=utf-8');
      return shared.json as unknown as Health;
    }
    const answer = Health.parse({
      status: probe.ok && quarantined.length === 0 ? ('ok' as const) : ('degraded' as const),
      database: { driver: deps.db.driver, ok: probe.ok, latencyMs: probe.latencyMs },
      version: deps.version,
      uptimeSec,
      quarantinedCount: quarantined.length,
      // Health is public (load balancers and monitors call it): only an admin learns which rows.
      quarantined: personal ? quarantined : [],
    });
    if (personal) return answer;
    shared = { probe, uptimeSec, count: quarantined.length, json: JSON.stringify(answer) };
    reply.type('application/json; charset=utf-8');
    return shared.json as unknown as Health;
  });
}
