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
  summary: 'A project with, per application, the newest server group of each cluster and region',
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

export const ProjectPatch = z
  .object({
    displayName: z.string().trim().min(1, 'displayName must not be empty').max(120, 'displayName must be at most 120 characters').optional(),
    description: z.string().max(2000, 'description must be at most 2000 characters').optional(),
    ownerEmail: z.email('ownerEmail must be an e-mail address').optional(),
  })
  .strict();

export const updateProject = endpoint({
  method: 'PATCH',
  path: '/api/projects/:project',
  summary: "Changes a project's display name, description or owner",
  params: ProjectParams,
  body: ProjectPatch,
  response: Project,
});

export const deleteProject = endpoint({
  method: 'DELETE',
  path: '/api/projects/:project',
  summary: 'Deletes an empty project; refused, naming them, while it has applications',
  params: ProjectParams,
  response: z.object({ project: ProjectName, deleted: z.literal(true) }),
});
