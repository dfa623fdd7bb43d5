import type { FastifyInstance } from 'fastify';
import { createProject, getProjectDashboard, listProjects } from '../../shared/api/projects';
import { newestPerCluster } from '../../shared/domain/dashboard';
import { NotFoundError } from '../../db/errors';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';

export function projectRoutes(app: FastifyInstance, { repos }: AppDeps): void {
  registerEndpoint(app, listProjects, () => repos.projects.list());

  registerEndpoint(app, getProjectDashboard, async ({ params }) => {
    const project = await repos.projects.get(params.project);
    if (!project) throw new NotFoundError(`Project '${params.project}' does not exist.`, 'project');
    const applications = await repos.applications.list({ project: project.name });
    const rows = await Promise.all(
      applications.map(async ({ clusterCount: _c, serverGroupCount: _s, instanceCount: _i, accounts: _a, ...application }) => ({
        application,
        clusters: newestPerCluster(await repos.serverGroups.listByApplication(application.name)),
      })),
    );
    return { project, applications: rows };
  });

  registerEndpoint(app, createProject, ({ body }) => repos.projects.create(body));
}
