import type { FastifyInstance } from 'fastify';
import { createApplication, deleteApplication, getApplication, listApplications, updateApplication } from '../../shared/api/applications';
import { ConflictError } from '../../db/errors';
import { blockersOf } from '../../shared/domain/application-blockers';
import { ApplicationSummary } from '../../shared/domain/application';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { requireApplication } from './lookups';
import { canRead } from '../auth/visibility';
import { readModelsFor } from '../read-models/read-models';

export function applicationRoutes(app: FastifyInstance, { db, repos }: AppDeps): void {
  const readModels = readModelsFor(db);
  // Cached for everyone, filtered for each caller: who may read what is never part of the cached answer.
  // Each line is checked against the contract and serialized once per version; a request only joins
  // the lines its caller may read (serializing every request cost more than the rest of it).
  registerEndpoint(app, listApplications, async ({ query, request, reply }) => {
    const filter = { q: query.q?.trim() || undefined, project: query.project };
    const all = await readModels.applications(JSON.stringify([filter.project, filter.q]), async () =>
      (await repos.applications.list(filter)).map((a) => ({ name: a.name, json: JSON.stringify(ApplicationSummary.parse(a)) })),
    );
    reply.type('application/json; charset=utf-8');
    const visible = all.filter((a) => canRead(request, a.name)).map((a) => a.json);
    return `[${visible.join(',')}]` as unknown as ApplicationSummary[];
  });

  registerEndpoint(app, getApplication, ({ params }) => requireApplication(repos, params.application));

  registerEndpoint(app, createApplication, ({ body }) => repos.applications.create(body));

  registerEndpoint(app, updateApplication, async ({ params, body }) => {
    await requireApplication(repos, params.application);
    return (await repos.applications.update(params.application, body))!;
  });

  registerEndpoint(app, deleteApplication, async ({ params }) => {
    await requireApplication(repos, params.application);
    const blockers = blockersOf(await repos.applications.dependents(params.application));
    if (blockers) throw new ConflictError(`Application '${params.application}' still has ${blockers}. Delete them first.`, 'application');
    await repos.applications.delete(params.application);
    return { application: params.application, deleted: true as const };
  });
}
