import { z } from 'zod';
import { endpoint } from './endpoint';

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ driver: z.enum(['pglite', 'postgres']), ok: z.boolean(), latencyMs: z.number() }),
  version: z.string(),
  uptimeSec: z.number().nonnegative(),
});
export type Health = z.infer<typeof Health>;

export const getHealth = endpoint({
  method: 'GET',
  path: '/api/health',
  summary: 'Liveness and database reachability',
  response: Health,
});
