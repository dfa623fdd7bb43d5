import type { FastifyInstance } from 'fastify';
import { createApplication, getApplication, listApplications } from '../../shared/api/applications';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { requireApplication } from './lookups';

export function applicationRoutes(app: FastifyInstance, { repos }: AppDeps): void {
  registerEndpoint(app, listApplications, ({ query }) => repos.applications.list({ q: query.q, project: query.project }));

  registerEndpoint(app, getApplication, ({ params }) => requireApplication(repos, params.application));

  registerEndpoint(app, createApplication, ({ body }) => repos.applications.create(body));
}
