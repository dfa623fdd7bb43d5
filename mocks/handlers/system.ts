import { getHealth } from '../../src/shared/api/system';
import { handleEndpoint } from '../handle-endpoint';

const startedAt = Date.now();

export const systemHandlers = {
  getHealth: handleEndpoint(getHealth, () => ({
    status: 'ok' as const,
    database: { driver: 'pglite' as const, ok: true, latencyMs: 0.4 },
    version: '0.1.0-mock',
    uptimeSec: Math.round((Date.now() - startedAt) / 1000),
    quarantinedCount: 0,
    quarantined: [],
  })),
};
