import type { FastifyInstance } from 'fastify';
import { getHealth } from '../../shared/api/system';
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
  registerEndpoint(app, getHealth, async ({ request }) => {
    const { ok, latencyMs } = await probeDatabase();
    const quarantined = quarantinedRows();
    return {
      status: ok && quarantined.length === 0 ? ('ok' as const) : ('degraded' as const),
      database: { driver: deps.db.driver, ok, latencyMs },
      version: deps.version,
      uptimeSec: Math.round((Date.now() - startedAt) / 1000),
      quarantinedCount: quarantined.length,
      // Health is public (load balancers and monitors call it): only an admin learns which rows.
      quarantined: request.me?.user.admin ? quarantined : [],
    };
  });
}
