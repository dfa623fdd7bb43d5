import type { FastifyInstance } from 'fastify';
import { searchEverything } from '../../shared/api/search';
import { listDeploymentHistory } from '../../shared/api/history';
import { SEARCH_LIMIT } from '../../shared/domain/search';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { canRead } from '../auth/visibility';

export function searchRoutes(app: FastifyInstance, { repos }: AppDeps): void {
  // The database only ever looks inside applications the caller may read: nothing else can leak into a hit.
  registerEndpoint(app, searchEverything, async ({ query, request }) => {
    const readable = (await repos.applications.list()).map((a) => a.name).filter((name) => canRead(request, name));
    return { q: query.q, hits: await repos.search.search(query.q, readable, SEARCH_LIMIT) };
  });

  // Support's other question, "what ran where, and when": the same rule, only readable applications.
  registerEndpoint(app, listDeploymentHistory, async ({ query, request }) => {
    const readable = (await repos.applications.list()).map((a) => a.name).filter((name) => canRead(request, name));
    return { entries: await repos.history.list({ applications: readable, ...query, limit: 500 }) };
  });
}
