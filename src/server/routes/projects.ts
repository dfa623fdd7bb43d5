import type { FastifyInstance } from 'fastify';
import { createProject, deleteProject, getProjectDashboard, listProjects, updateProject } from '../../shared/api/projects';
import { newestPerCluster } from '../../shared/domain/dashboard';
import { ConflictError, NotFoundError } from '../../db/errors';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { canRead } from '../auth/visibility';

export function projectRoutes(app: FastifyInstance, { repos }: AppDeps): void {
  // A project shows the applications the user may read; one with none of them is not listed.
  registerEndpoint(app, listProjects, async ({ request }) =>
    (await repos.projects.list())
      .map((p) => ({ ...p, applications: p.applications.filter((a) => canRead(request, a)) }))
      .filter((p) => p.applications.length > 0 || request.me?.user.admin),
  );

  registerEndpoint(app, getProjectDashboard, async ({ params, request }) => {
    const stored = await repos.projects.get(params.project);
    const project = stored && { ...stored, applications: stored.applications.filter((a) => canRead(request, a)) };
    // As in the list: a project with nothing the user may read is not there for them.
    if (!project || (project.applications.length === 0 && !request.me?.user.admin)) {
      throw new NotFoundError(`Project '${params.project}' does not exist.`, 'project');
    }
    const applications = (await repos.applications.list({ project: project.name })).filter((a) => canRead(request, a.name));
    const rows = await Promise.all(
      applications.map(async ({ clusterCount: _c, serverGroupCount: _s, instanceCount: _i, accounts: _a, ...application }) => ({
        application,
        clusters: newestPerCluster(await repos.serverGroups.listByApplication(application.name)),
      })),
    );
    return { project, applications: rows };
  });

  registerEndpoint(app, createProject, ({ body }) => repos.projects.create(body));

  registerEndpoint(app, updateProject, async ({ params, body }) => {
    const updated = await repos.projects.update(params.project, body);
    if (!updated) throw new NotFoundError(`Project '${params.project}' does not exist.`, 'project');
    return updated;
  });

  registerEndpoint(app, deleteProject, async ({ params }) => {
    const project = await repos.projects.get(params.project);
    if (!project) throw new NotFoundError(`Project '${params.project}' does not exist.`, 'project');
    if (project.applications.length > 0) {
      throw new ConflictError(`Project '${project.name}' still has applications: ${project.applications.join(', ')}. Delete or move them first.`, 'project');
    }
    if (!(await repos.projects.delete(project.name))) throw new ConflictError(`Project '${project.name}' gained an application meanwhile; nothing was deleted.`, 'project');
    return { project: project.name, deleted: true as const };
  });
}
