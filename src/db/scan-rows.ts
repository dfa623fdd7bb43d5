import { quarantinedRows, type QuarantinedRow } from './quarantine';
import type { Repositories } from './types';

/**
 * Reads what Kiln serves and runs from at start (registry, recipes, accounts, each application's
 * pipelines, server groups and load balancers, the executions the engine will pick up, the newest
 * ones) so a row that does not parse is quarantined and named now, not found later by a user.
 * Reads skip such rows themselves: this only makes the report complete from the first second.
 */
export async function scanStoredRows(repos: Repositories): Promise<QuarantinedRow[]> {
  await repos.images.all();
  await repos.recipes.list();
  await repos.accounts.list();
  await repos.projects.list();
  for (const { name } of await repos.applications.list()) {
    await repos.pipelines.listByApplication(name);
    await repos.serverGroups.listByApplication(name);
    await repos.loadBalancers.listByApplication(name);
  }
  await repos.executions.list(undefined, { statuses: ['NOT_STARTED', 'BUFFERED', 'RUNNING', 'PAUSED'], limit: 1000 });
  await repos.executions.list(undefined, { limit: 200 });
  return quarantinedRows();
}
