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
import type { Me } from '../../shared/domain/user';
import { cachedAnswer, sendCached, type CachedAnswer } from './cached-answer';

/** One application of the cached list, serialized. */
type Line = { name: string; json: string };

export function applicationRoutes(app: FastifyInstance, { db, repos }: AppDeps): void {
  const readModels = readModelsFor(db);
  // Cached for everyone, filtered for each caller: who may read what is never part of the cached answer.
  // Each line is checked against the contract and serialized once per version; the lines a caller
  // may read are joined (and tagged) once per version and principal. A principal is a frozen object
  // the principal cache replaces whenever the user's roles, grants or credential change, so a
  // removed grant makes a new principal and a new answer at the next request.
  const perCaller = new WeakMap<readonly Line[], WeakMap<Me, CachedAnswer>>();
  registerEndpoint(app, listApplications, async ({ query, request, reply }) => {
    const filter = { q: query.q?.trim() || undefined, project: query.project };
    const all = await readModels.applications(
      JSON.stringify([filter.project, filter.q]),
      async (): Promise<readonly Line[]> =>
        (await repos.applications.list(filter)).map((a) => ({
          name: a.name,
          json: JSON.stringify(ApplicationSummary.parse(a)),
        })),
    );
    const me = request.me;
    let byCaller = perCaller.get(all);
    let answer = me && byCaller?.get(me);
    if (!answer) {
      answer = cachedAnswer(
        `[${all
          .filter((a) => canRead(request, a.name))
          .map((a) => a.json)
          .join(',')}]`,
      );
      if (me) {
        if (!byCaller) perCaller.set(all, (byCaller = new WeakMap()));
        byCaller.set(me, answer);
      }
    }
    return sendCached<ApplicationSummary[]>(request, reply, answer);
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
