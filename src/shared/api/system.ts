import { z } from 'zod';
import { endpoint } from './endpoint';

/** A stored row Kiln could not read and left out of every list (until it is repaired). */
export const QuarantinedRow = z.object({
  table: z.string(),
  key: z.string(),
  /** What the schema refused, field by field. */
  message: z.string(),
  since: z.iso.datetime({ offset: true }),
});
export type QuarantinedRow = z.infer<typeof QuarantinedRow>;

export const Health = z.object({
  /** `degraded` when the database is unreachable or some rows are quarantined; still HTTP 200 so the dashboard loads. */
  status: z.enum(['ok', 'degraded']),
  database: z.object({ driver: z.enum(['pglite', 'postgres']), ok: z.boolean(), latencyMs: z.number() }),
  version: z.string(),
  uptimeSec: z.number().nonnegative(),
  /** How many stored rows are quarantined (left out because they do not parse). */
  quarantinedCount: z.number().int().nonnegative(),
  /** Which ones and why: for admins only, since keys name applications, images and accounts. */
  quarantined: z.array(QuarantinedRow),
});
export type Health = z.infer<typeof Health>;

export const getHealth = endpoint({
  method: 'GET',
  path: '/api/health',
  summary: 'Liveness, database reachability and rows quarantined because they do not parse',
  response: Health,
});
