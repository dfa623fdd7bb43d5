import { z } from 'zod';
import { endpoint } from './endpoint';
import { ProjectName } from '../domain/ids';
import { ApplicationName } from '../domain/names';
import { Application, ApplicationSummary, NewApplication } from '../domain/application';

export const ApplicationParams = z.object({ application: ApplicationName });

export const ApplicationsQuery = z.object({
  q: z.string().max(200, 'q must be at most 200 characters').optional(),
  project: ProjectName.optional(),
});

export const listApplications = endpoint({
  method: 'GET',
  path: '/api/applications',
  summary: 'Applications, optionally searched by name/description (q) or limited to a project',
  query: ApplicationsQuery,
  response: z.array(ApplicationSummary),
});

export const getApplication = endpoint({
  method: 'GET',
  path: '/api/applications/:application',
  summary: 'One application with its counts',
  params: ApplicationParams,
  response: ApplicationSummary,
});

export const createApplication = endpoint({
  method: 'POST',
  path: '/api/applications',
  summary: 'Create an application in a project',
  body: NewApplication,
  response: Application,
  status: 201,
});

export const ApplicationPatch = z
  .object({
    description: z.string().max(2000, 'description must be at most 2000 characters').optional(),
    ownerEmail: z.email('ownerEmail must be an e-mail address').optional(),
  })
  .strict();

export const updateApplication = endpoint({
  method: 'PATCH',
  path: '/api/applications/:application',
  summary: "Changes an application's description or owner",
  params: ApplicationParams,
  body: ApplicationPatch,
  response: Application,
});

export const deleteApplication = endpoint({
  method: 'DELETE',
  path: '/api/applications/:application',
  summary: 'Deletes an application; refused, naming them, while it has pipelines, server groups, load balancers or past executions',
  params: ApplicationParams,
  response: z.object({ application: ApplicationName, deleted: z.literal(true) }),
});
