import type { FastifyInstance } from 'fastify';
import { createApplication, getApplication, listApplications } from '../../shared/api/applications';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { requireApplication } from './lookups';
import { canRead } from '../auth/visibility';

export function applicationRoutes(app: FastifyInstance, { repos }: AppDeps): void {
  registerEndpoint(app, listApplications, async ({ query, request }) =>
    (await repos.applications.list({ q: query.q, project: query.project })).filter((a) => canRead(request, a.name)),
  );

  registerEndpoint(app, getApplication, ({ params }) => requireApplication(repos, params.application));

  registerEndpoint(app, createApplication, ({ body }) => repos.applications.create(body));
}
