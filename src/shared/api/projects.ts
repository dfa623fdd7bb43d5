import { z } from 'zod';
import { endpoint } from './endpoint';
import { ProjectName } from '../domain/ids';
import { NewProject, Project } from '../domain/project';
import { ProjectDashboard } from '../domain/dashboard';

export const ProjectParams = z.object({ project: ProjectName });

export const listProjects = endpoint({
  method: 'GET',
  path: '/api/projects',
  summary: 'All projects',
  response: z.array(Project),
});

export const getProjectDashboard = endpoint({
  method: 'GET',
  path: '/api/projects/:project',
  summary: "A project with, per application, the newest server group of each cluster and region",
  params: ProjectParams,
  response: ProjectDashboard,
});

export const createProject = endpoint({
  method: 'POST',
  path: '/api/projects',
  summary: 'Create a project',
  body: NewProject,
  response: Project,
  status: 201,
});
