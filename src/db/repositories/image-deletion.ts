import type { Session } from '../types';
import { imageClaimRepository, type ImageClaimant } from './image-claims';

/** A server group that still runs the version, or an image built on it (`through`, as `name:vN`). */
export interface ImageVersionUser {
  application: string;
  account: string;
  region: string;
  serverGroup: string;
  through?: string;
}

export type ImageVersionDeletion =
  | { deleted: true; artifact: string; digest: string; sharedArtifact: boolean }
  | { deleted: false; serverGroups: ImageVersionUser[]; channels: string[]; children: string[]; deploys: ImageClaimant[] };

/**
 * Deleting one version of an image from the registry. Refused while anything still depends on it:
 * a server group running it (or an image built on it), a channel pointing at it, a child image
 * (whose lineage would dangle), a running deploy, container job or bake stage that resolved it
 * (image-claims.ts: the row lock below orders this against the claim). Returns undefined when the
 * image has no such version. `beforeCommit` lets a test act while the version's row is locked.
 */
export function imageVersionDeletion(db: Session, hooks: { beforeCommit?: () => Promise<void> } = {}) {
  return {
    async delete(name: string, version: string): Promise<ImageVersionDeletion | undefined> {
      const number = /^v[1-9][0-9]*$/.test(version) ? Number(version.slice(1)) : NaN;
      if (!Number.isSafeInteger(number)) return undefined;
      return db.transaction(async (tx) => {
        const image = (
          await tx.query<{ id: string; artifact: string; digest: string }>(`select id, artifact, digest from images where name = $1 and version = $2 for update`, [name, number])
        ).rows[0];
        if (!image) return undefined;
        const channels = (await tx.query<{ channel: string }>(`select channel from image_channels where image_id = $1 order by channel`, [image.id])).rows.map((r) => r.channel);
        const children = (await tx.query<{ name: string; version: number }>(`select name, version from images where parent_id = $1 order by name, version`, [image.id])).rows.map(
          (r) => `${r.name}:v${r.version}`,
        );
        // Grandchildren need no query: their parent is a child, which already blocks the delete.
        const serverGroups = (
          await tx.query<{ application: string; account: string; region: string; name: string; image_name: string; image_version: string }>(
            `select sg.application, sg.account, sg.region, sg.name, sg.image_name, sg.image_version from server_groups sg
             where (sg.image_name = $1 and sg.image_version = $2)
                or exists (select 1 from images c where c.parent_id = $3 and c.name = sg.image_name and 'v' || c.version = sg.image_version)
             order by sg.application, sg.account, sg.region, sg.name`,
            [name, version, image.id],
          )
        ).rows.map(
          (r): ImageVersionUser => ({
            application: r.application,
            account: r.account,
            region: r.region,
            serverGroup: r.name,
            ...(r.image_name === name && r.image_version === version ? {} : { through: `${r.image_name}:${r.image_version}` }),
          }),
        );
        // Read after the row lock: a claim committed before it is seen; a later one waits for this transaction.
        const deploys = await imageClaimRepository(tx).claimants(image.id);
        if (channels.length || children.length || serverGroups.length || deploys.length) return { deleted: false as const, serverGroups, channels, children, deploys };
        // The channel history must not point at a row that is gone; the moves of other versions stay.
        await tx.query(`delete from image_channel_history where image_id = $1`, [image.id]);
        await tx.query(`update image_channel_history set previous_image_id = null where previous_image_id = $1`, [image.id]);
        // A later version could take the same label (v3 again when v3 was the newest): its pushes must not be this one's.
        await tx.query(`delete from image_pushes where image_name = $1 and image_version = $2`, [name, version]);
        await tx.query(`delete from images where id = $1`, [image.id]);
        const shared = (await tx.query<{ n: number }>(`select count(*)::int as n from images where artifact = $1`, [image.artifact])).rows[0]?.n ?? 0;
        await hooks.beforeCommit?.();
        return { deleted: true as const, artifact: image.artifact, digest: image.digest, sharedArtifact: shared > 0 };
      });
    },
  };
}
