import { test as base } from '@playwright/test';
import { adminState, kilnUrl, SERVERS } from './kiln-servers';

export { expect } from '@playwright/test';

/**
 * The journeys' `test`: each Playwright worker drives its own Kiln (its own port and data dir, started
 * by the config's webServer list), so journeys running side by side never see each other's data.
 * `parallelIndex` stays the same when a worker restarts after a failure, so it keeps its server.
 */
export const test = base.extend<object, { kilnServer: number }>({
  // Playwright reads a fixture's dependencies from this pattern: an empty one says "none".
  // oxlint-disable-next-line no-empty-pattern
  kilnServer: [async ({}, provide, worker) => provide(worker.parallelIndex % SERVERS), { scope: 'worker' }],
  baseURL: async ({ kilnServer }, provide) => provide(kilnUrl(kilnServer)),
  storageState: async ({ kilnServer }, provide) => provide(adminState(kilnServer)),
});
