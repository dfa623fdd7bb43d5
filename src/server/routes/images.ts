import type { FastifyInstance } from 'fastify';
import { assignImageChannel, getImage, listImages, revokeImage } from '../../shared/api/images';
import { NotFoundError } from '../../db/errors';
import { notifyImagesChanged } from '../../engine/bakery/registry-events';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { ANONYMOUS } from './lookups';

export function imageRoutes(app: FastifyInstance, { repos }: AppDeps): void {
  registerEndpoint(app, listImages, () => repos.images.list());

  registerEndpoint(app, getImage, async ({ params }) => {
    const detail = await repos.images.detail(params.name);
    if (!detail) throw new NotFoundError(`Image '${params.name}' is not in the registry.`, 'name');
    return detail;
  });

  registerEndpoint(app, assignImageChannel, async ({ params, body }) => {
    if (!(await repos.images.detail(params.name))) throw new NotFoundError(`Image '${params.name}' is not in the registry.`, 'name');
    const assignment = await repos.images.assignChannel(params.name, params.channel, body.version, ANONYMOUS);
    notifyImagesChanged();
    return assignment;
  });

  registerEndpoint(app, revokeImage, async ({ params, body }) => {
    if (!(await repos.images.detail(params.name))) throw new NotFoundError(`Image '${params.name}' is not in the registry.`, 'name');
    const revoked = await repos.images.revoke(params.name, params.version, { at: body.at ?? new Date().toISOString(), reason: body.reason, by: ANONYMOUS });
    notifyImagesChanged();
    return revoked;
  });
}
