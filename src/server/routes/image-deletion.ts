import type { FastifyInstance } from 'fastify';
import { deleteImageVersion } from '../../shared/api/images';
import { imageVersionDeletion, type ImageVersionUser } from '../../db/repositories/image-deletion';
import { NotFoundError } from '../../db/errors';
import { bakeryPaths, defaultDataDir, notifyImagesChanged, removeArtifactFiles } from '../../engine/index';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';

const list = (names: readonly string[]) => (names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`);
const group = (u: ImageVersionUser) => `${u.application}/${u.account}/${u.region}/${u.serverGroup}${u.through ? ` (through ${u.through})` : ''}`;

/**
 * Deleting an image version: only once nothing runs it, points at it or is built on it, so a
 * deploy or a rollback never reaches for an image that is gone. Admins only (access-rules.ts), and
 * audited like every change. Its files go too, unless another version holds the same bytes.
 */
export function imageDeletionRoutes(app: FastifyInstance, { db, dataDir }: AppDeps): void {
  const paths = bakeryPaths(dataDir ?? defaultDataDir());
  const deletion = imageVersionDeletion(db);
  registerEndpoint(app, deleteImageVersion, async ({ params }) => {
    const outcome = await deletion.delete(params.name, params.version);
    if (!outcome) throw new NotFoundError(`image '${params.name}' has no version '${params.version}'`, 'version');
    if (!outcome.deleted) {
      const reasons = [
        ...(outcome.serverGroups.length
          ? [`server group${outcome.serverGroups.length === 1 ? '' : 's'} ${list(outcome.serverGroups.map(group))} run${outcome.serverGroups.length === 1 ? 's' : ''} it`]
          : []),
        ...(outcome.channels.length
          ? [
              `channel${outcome.channels.length === 1 ? '' : 's'} ${list(outcome.channels)} point${outcome.channels.length === 1 ? 's' : ''} at it (move ${outcome.channels.length === 1 ? 'it' : 'them'} first)`,
            ]
          : []),
        ...(outcome.children.length
          ? [`image${outcome.children.length === 1 ? '' : 's'} ${list(outcome.children)} ${outcome.children.length === 1 ? 'is' : 'are'} built on it`]
          : []),
        ...(outcome.deploys.length
          ? [
              `${list(outcome.deploys.map((d) => `execution ${d.executionId} (${d.application} '${d.pipeline}', stage '${d.stage}')`))} ${outcome.deploys.length === 1 ? 'is' : 'are'} using it`,
            ]
          : []),
      ];
      // Only admins get here, and they may read every application, so every group is named.
      throw new HttpError(409, 'conflict', `${params.name}:${params.version} cannot be deleted: ${reasons.join('; ')}.`, 'version', {
        serverGroups: outcome.serverGroups,
        channels: outcome.channels,
        children: outcome.children,
        executions: outcome.deploys,
      });
    }
    const removed = removeArtifactFiles(paths, outcome, outcome.sharedArtifact);
    notifyImagesChanged();
    return { name: params.name, version: params.version, deleted: true as const, filesRemoved: removed.length > 0 };
  });
}
