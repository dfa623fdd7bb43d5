import type { FastifyInstance } from 'fastify';
import { pushImageVersion } from '../../shared/api/images';
import { can } from '../../shared/domain/user';
import { bakeryPaths, defaultDataDir, notifyImagesChanged, pushImageToAccount } from '../../engine/index';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';

/**
 * Pushing an image version to an account's registry on demand. Whoever may deploy to the account
 * (EXECUTE on it) may put images where it pulls from; the account's registry credentials are used
 * and never answered. The push runs within the request: the answer is the record and its log.
 */
export function imagePushRoutes(app: FastifyInstance, { repos, dataDir }: AppDeps): void {
  const paths = bakeryPaths(dataDir ?? defaultDataDir());
  registerEndpoint(app, pushImageVersion, async ({ params, body, request }) => {
    if (!can(request.me, 'EXECUTE', { account: body.account }))
      throw new HttpError(403, 'forbidden', `${request.me?.user.name ?? 'nobody'} lacks EXECUTE permission on account '${body.account}'.`, 'account');
    const log: string[] = [];
    const push = await pushImageToAccount({ repos, paths, log: (line) => log.push(line) }, { name: params.name, version: params.version, account: body.account });
    notifyImagesChanged();
    return { ...push, log };
  });
}
