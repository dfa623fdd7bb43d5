import type { FastifyInstance } from 'fastify';
import { getBake, startBake } from '../../shared/api/bakes';
import { can } from '../../shared/domain/user';
import { NotFoundError } from '../../db/errors';
import { BakeRunningError, bakeOf, isBakeNow, startBakeNow, type Engine } from '../../engine/index';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { requireApplication } from './lookups';
import { registerEndpoint } from './register';

/**
 * Bakes on demand, like `packer build`: a run of the bake stage owned by the application named in
 * the path (whose EXECUTE the access rule asks), so it is as durable, logged and live as a pipeline's.
 */
export function bakeRoutes(app: FastifyInstance, { repos }: AppDeps, engine: Engine): void {
  registerEndpoint(app, startBake, async ({ params, body, actor, request }) => {
    await requireApplication(repos, params.application);
    const recipe = await repos.recipes.getByName(params.recipe);
    if (!recipe) throw new NotFoundError(`Recipe '${params.recipe}' does not exist.`, 'recipe');
    // The stage checks these again when it starts; checked here too so a refusal bakes nothing at all.
    for (const [i, account] of body.push.entries()) {
      const field = `push.${i}`;
      if (!can(request.me, 'EXECUTE', { account })) {
        throw new HttpError(403, 'forbidden', `${actor} lacks EXECUTE permission on account '${account}', which pushing the baked image there needs; nothing was baked.`, field);
      }
      const stored = await repos.accounts.get(account);
      if (!stored) throw new HttpError(400, 'bad_request', `${field}: account '${account}' does not exist`, field);
      if (!stored.endpoint.registry) throw new HttpError(400, 'bad_request', `${field}: account '${account}' names no registry to push to`, field);
    }
    const execution = await startBakeNow(
      { repos, start: (pipeline, trigger, within) => engine.start(pipeline, trigger, within) },
      { recipe, application: params.application, request: body, actor },
    ).catch((err: unknown) => {
      // Who started the running bake, and for which application, is told only to whoever may read that application.
      if (err instanceof BakeRunningError && can(request.me, 'READ', { application: err.running.application })) {
        throw new HttpError(409, 'conflict', err.detailed(recipe.name), 'recipe');
      }
      throw err;
    });
    return bakeOf(repos, execution);
  });

  registerEndpoint(app, getBake, async ({ params }) => {
    const execution = await repos.executions.get(params.bakeId);
    if (!execution || !isBakeNow(execution)) throw new NotFoundError(`Bake '${params.bakeId}' does not exist.`, 'bakeId');
    return bakeOf(repos, execution);
  });
}
