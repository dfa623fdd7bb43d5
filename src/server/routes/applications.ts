import type { FastifyInstance } from 'fastify';
import { createApplication, getApplication, listApplications } from '../../shared/api/applications';
import { NotFoundError } from '../../db/errors';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';

export function applicationRoutes(app: FastifyInstance, { repos }: AppDeps): void {
  registerEndpoint(app, listApplications, ({ query }) => repos.applications.list({ q: query.q, project: query.project }));

  registerEndpoint(app, getApplication, async ({ params }) => {
    const application = await repos.applications.get(params.application);
    if (!application) throw new NotFoundError(`Application '${params.application}' does not exist.`, 'application');
    return application;
  });

  registerEndpoint(app, createApplication, ({ body }) => repos.applications.create(body));
}
