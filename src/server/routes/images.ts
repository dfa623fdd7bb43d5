import type { FastifyInstance } from 'fastify';
import { assignImageChannel, getImage, listImageFlags, listImages, lookupImage, restoreImage, revokeImage, type ImageFlag } from '../../shared/api/images';
import { flagRunningImage } from '../../shared/bakery/image-flags';
import { NotFoundError } from '../../db/errors';
import { notifyImagesChanged } from '../../engine/index';
import type { AppDeps } from '../deps';
import { imageDownloadRoutes } from './image-download';
import { imageDeletionRoutes } from './image-deletion';
import { imagePushRoutes } from './image-push';
import { stageCacheRoutes } from './stage-cache';
import { registerEndpoint } from './register';
import { requireApplication } from './lookups';
import { canRead } from '../auth/visibility';

export function imageRoutes(app: FastifyInstance, deps: AppDeps): void {
  const { repos, dataDir } = deps;
  imageDownloadRoutes(app, repos, dataDir);
  imageDeletionRoutes(app, deps);
  imagePushRoutes(app, deps);
  stageCacheRoutes(app, deps);

  registerEndpoint(app, listImages, () => repos.images.list());

  registerEndpoint(app, getImage, async ({ params, request }) => {
    const detail = await repos.images.detail(params.name);
    if (!detail) throw new NotFoundError(`Image '${params.name}' is not in the registry.`, 'name');
    // Images are everyone's, but where they run names other applications' server groups.
    return { ...detail, usage: detail.usage.filter((u) => canRead(request, u.application)), pushes: await repos.imagePushes.listByImage(params.name) };
  });

  registerEndpoint(app, assignImageChannel, async ({ params, body, actor }) => {
    if (!(await repos.images.detail(params.name))) throw new NotFoundError(`Image '${params.name}' is not in the registry.`, 'name');
    const assignment = await repos.images.assignChannel(params.name, params.channel, body.version, actor);
    notifyImagesChanged();
    return assignment;
  });

  registerEndpoint(app, revokeImage, async ({ params, body, actor }) => {
    if (!(await repos.images.detail(params.name))) throw new NotFoundError(`Image '${params.name}' is not in the registry.`, 'name');
    const revoked = await repos.images.revoke(params.name, params.version, { at: body.at ?? new Date().toISOString(), reason: body.reason, by: actor });
    notifyImagesChanged();
    return revoked;
  });

  registerEndpoint(app, restoreImage, async ({ params, body, actor }) => {
    if (!(await repos.images.detail(params.name))) throw new NotFoundError(`Image '${params.name}' is not in the registry.`, 'name');
    const restored = await repos.images.restore(params.name, params.version, { at: new Date().toISOString(), reason: body.reason, by: actor });
    notifyImagesChanged();
    return restored;
  });

  registerEndpoint(app, lookupImage, async ({ query }) => {
    let key = { account: query.account ?? '', region: query.region ?? '', name: query.serverGroup ?? '' };
    if (query.instanceId) {
      const instance = await repos.instances.get(query.instanceId);
      if (!instance) throw new NotFoundError(`Instance '${query.instanceId}' does not exist.`, 'instanceId');
      key = { account: instance.account, region: instance.region, name: instance.serverGroup };
    }
    const sg = await repos.serverGroups.get(key);
    if (!sg) throw new NotFoundError(`Server group '${key.name}' does not exist in ${key.account}/${key.region}.`, query.instanceId ? 'instanceId' : 'serverGroup');
    const registry = /^v[1-9][0-9]*$/.test(sg.image.version) ? await repos.images.resolve(`${sg.image.name}:${sg.image.version}`) : undefined;
    return {
      serverGroup: { application: sg.application, account: sg.account, region: sg.region, name: sg.name },
      ...(query.instanceId ? { instanceId: query.instanceId } : {}),
      image: sg.image,
      ...(registry ? { registry } : {}),
    };
  });

  // One registry read per image name the application runs, not per server group.
  registerEndpoint(app, listImageFlags, async ({ params }) => {
    await requireApplication(repos, params.application);
    const groups = await repos.serverGroups.listByApplication(params.application);
    const details = new Map<string, Awaited<ReturnType<typeof repos.images.detail>>>();
    for (const name of new Set(groups.map((g) => g.image.name))) details.set(name, await repos.images.detail(name));
    return groups.flatMap((g): ImageFlag[] => {
      const flag = flagRunningImage(g.image, details.get(g.image.name));
      return flag ? [{ account: g.account, region: g.region, serverGroup: g.name, image: g.image, ...flag }] : [];
    });
  });
}
