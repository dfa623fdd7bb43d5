import { createProject, deleteProject, getProjectDashboard, listProjects, updateProject } from '../../src/shared/api/projects';
import { newestPerCluster } from '../../src/shared/domain/dashboard';
import { Project } from '../../src/shared/domain/project';
import { db } from '../db';
import { conflict, handleEndpoint, notFound } from '../handle-endpoint';

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

export const projectHandlers = {
  listProjects: handleEndpoint(listProjects, () => [...db.projects].sort(byName)),

  getProjectDashboard: handleEndpoint(getProjectDashboard, ({ params }) => {
    const project = db.projects.find((p) => p.name === params.project);
    if (!project) throw notFound(`Project '${params.project}' does not exist.`, 'project');
    return {
      project,
      applications: db.applications
        .filter((a) => a.project === project.name)
        .sort(byName)
        .map((application) => ({
          application,
          clusters: newestPerCluster(db.serverGroups.filter((sg) => sg.application === application.name)),
        })),
    };
  }),

  createProject: handleEndpoint(createProject, ({ body }) => {
    if (db.projects.some((p) => p.name === body.name)) throw conflict(`Project '${body.name}' already exists.`, 'name');
    const project = Project.parse({ ...body, applications: [], demo: false, createdAt: new Date().toISOString() });
    db.projects.push(project);
    return project;
  }),

  updateProject: handleEndpoint(updateProject, ({ params, body }) => {
    const project = db.projects.find((p) => p.name === params.project);
    if (!project) throw notFound(`Project '${params.project}' does not exist.`, 'project');
    const next = { ...project, ...body };
    db.projects = db.projects.map((p) => (p === project ? next : p));
    return next;
  }),

  deleteProject: handleEndpoint(deleteProject, ({ params }) => {
    const project = db.projects.find((p) => p.name === params.project);
    if (!project) throw notFound(`Project '${params.project}' does not exist.`, 'project');
    if (project.applications.length > 0)
      throw conflict(`Project '${project.name}' still has applications: ${project.applications.join(', ')}. Delete or move them first.`, 'project');
    db.projects = db.projects.filter((p) => p !== project);
    return { project: project.name, deleted: true as const };
  }),
};
