import { randomUUID } from 'node:crypto';
import { ChannelAssignment, ImageDetail, ImageSummary, type BuildMetadata, type ImageRun, type ImageVersion } from '../../shared/domain/image';
import { ancestorsOf, type RevocationNode } from '../../shared/bakery/revocation';
import { ConflictError, NotFoundError } from '../errors';
import { checkWrite, iso, sqlState, StoredRowError, UNIQUE_VIOLATION } from '../sql';
import { quarantinedRows } from '../quarantine';
import type { Session } from '../types';
import { label, loadImages, NEW_IMAGE, versionNumber } from './image-rows';
import { imageUsage } from './image-usage';
import { CHANNEL_LOG_LOCK } from './registry-cursors';

export interface NewImage {
  name: string;
  recipe?: { id: string; name: string; revision: number } | undefined;
  build: BuildMetadata;
  digest: string;
  sizeBytes: number;
  format: 'bundle' | 'disk' | 'oci';
  artifact: string;
  parentId?: string | undefined;
  run?: ImageRun | undefined;
  cacheKey?: string | undefined;
}

export interface ImageRepository {
  /** Stores the next version of `name` (v1, v2…) and points its `latest` channel at it. */
  create(input: NewImage, by: string): Promise<ImageVersion>;
  /** Every version of every image with its effective revocation and channels (a local registry is small). */
  all(now?: Date): Promise<ImageVersion[]>;
  get(id: string, now?: Date): Promise<ImageVersion | undefined>;
  /** `name:vN` or `name@channel`. */
  resolve(selector: string, now?: Date): Promise<ImageVersion | undefined>;
  byCacheKey(key: string): Promise<ImageVersion | undefined>;
  /** The image a pipeline stage baked (a resumed bake stage finds its own result). */
  byBuild(executionId: string, stageRefId: string): Promise<ImageVersion | undefined>;
  list(now?: Date): Promise<ImageSummary[]>;
  detail(name: string, now?: Date): Promise<ImageDetail | undefined>;
  /** NotFoundError naming `version` when the image has no such version. */
  assignChannel(name: string, channel: string, version: string, by: string): Promise<ChannelAssignment>;
  /** Revokes now or at `at`; NotFoundError naming `version`. */
  revoke(name: string, version: string, revocation: { at: string; reason: string; by: string }): Promise<ImageVersion>;
  /** Lifts the version's own revocation, keeping it and the reason; ConflictError when it has none of its own. */
  restore(name: string, version: string, restoration: { at: string; reason: string; by: string }): Promise<ImageVersion>;
  /**
   * The registry's event log, oldest first: every version put on a channel (a new version lands on
   * `latest` in the transaction that stores it), after history row `afterId` and not before `since`.
   */
  channelMoves(afterId: number, since: string, limit: number): Promise<ChannelMove[]>;
}

export interface ChannelMove {
  id: number;
  name: string;
  channel: string;
  version: string;
  at: string;
  by: string;
}

export function imageRepository(db: Session): ImageRepository {
  const load = (now: Date) => loadImages(db, now);

  const find = async (name: string, version: string, now = new Date()) => (await load(now)).find((i) => i.name === name && i.version === version);

  async function assign(tx: Session, name: string, channel: string, imageId: string, by: string) {
    // Registry triggers read the channel log by id and remember the last id read: ids must become visible
    // in order, so writers (other Kiln processes too) take turns. Taken first, before any row lock here.
    if (tx.driver === 'postgres') await tx.query('select pg_advisory_xact_lock($1)', [CHANNEL_LOG_LOCK]);
    const prev = await tx.query<{ image_id: string }>(`select image_id from image_channels where name = $1 and channel = $2`, [name, channel]);
    await tx.query(
      `insert into image_channels (name, channel, image_id, assigned_by) values ($1, $2, $3, $4)
       on conflict (name, channel) do update set image_id = excluded.image_id, assigned_by = excluded.assigned_by, assigned_at = now()`,
      [name, channel, imageId, by],
    );
    await tx.query(`insert into image_channel_history (name, channel, image_id, previous_image_id, by) values ($1, $2, $3, $4, $5)`, [
      name,
      channel,
      imageId,
      prev.rows[0]?.image_id ?? null,
      by,
    ]);
  }

  return {
    async create(input, by) {
      // Checked against the schema reads use: a 65-character commit stored once would fail every later read.
      checkWrite(NEW_IMAGE, input, 'image');
      const id = randomUUID();
      // Two bakes of one name may race for the next number: the unique key decides, the loser retries.
      for (let attempt = 0; ; attempt++) {
        try {
          await db.transaction(async (tx) => {
            await tx.query(
              `insert into images (id, name, version, recipe_id, recipe_name, recipe_revision, build, digest, size_bytes, format, artifact, parent_id, run, cache_key)
               select $1, $2, coalesce(max(version), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 from images where name = $2`,
              [
                id,
                input.name,
                input.recipe?.id ?? null,
                input.recipe?.name ?? null,
                input.recipe?.revision ?? null,
                JSON.stringify(input.build),
                input.digest,
                input.sizeBytes,
                input.format,
                input.artifact,
                input.parentId ?? null,
                input.run ? JSON.stringify(input.run) : null,
                input.cacheKey ?? null,
              ],
            );
            await assign(tx, input.name, 'latest', id, by);
          });
          break;
        } catch (err) {
          if (sqlState(err) !== UNIQUE_VIOLATION || attempt >= 5) throw err;
        }
      }
      return (await this.get(id))!;
    },

    all: (now = new Date()) => load(now),

    async get(id, now = new Date()) {
      return (await load(now)).find((i) => i.id === id);
    },

    async resolve(selector, now = new Date()) {
      const at = selector.indexOf('@');
      if (at > 0) {
        const { rows } = await db.query<{ image_id: string }>(`select image_id from image_channels where name = $1 and channel = $2`, [
          selector.slice(0, at),
          selector.slice(at + 1),
        ]);
        return rows[0] ? this.get(rows[0].image_id, now) : undefined;
      }
      const colon = selector.lastIndexOf(':');
      return colon > 0 ? find(selector.slice(0, colon), selector.slice(colon + 1), now) : undefined;
    },

    async byCacheKey(key) {
      const { rows } = await db.query<{ id: string }>(`select id from images where cache_key = $1 order by version desc limit 1`, [key]);
      return rows[0] ? this.get(rows[0].id) : undefined;
    },

    async byBuild(executionId, stageRefId) {
      const { rows } = await db.query<{ id: string }>(`select id from images where build->>'executionId' = $1 and build->>'stageRefId' = $2 order by created_at desc limit 1`, [
        executionId,
        stageRefId,
      ]);
      return rows[0] ? this.get(rows[0].id) : undefined;
    },

    async list(now = new Date()) {
      const all = await load(now);
      const names = [...new Set(all.map((i) => i.name))];
      return names.map((name) => {
        const versions = all.filter((i) => i.name === name);
        const channels = Object.fromEntries(versions.flatMap((v) => v.channels.map((c) => [c, v.version])));
        return ImageSummary.parse({ name, versions: versions.length, latest: versions[versions.length - 1], channels });
      });
    },

    async detail(name, now = new Date()) {
      const all = await load(now);
      const versions = all.filter((i) => i.name === name).reverse();
      if (versions.length === 0) {
        // Every version is quarantined: say so rather than "no such image".
        const bad = quarantinedRows().filter((q) => q.table === 'images' && q.key.startsWith(`${name}:v`));
        if (bad.length > 0) throw new StoredRowError(`stored image ${bad.map((q) => q.key).join(', ')} is invalid: ${bad[0]!.message}`, 'images', bad[0]!.key);
        return undefined;
      }
      const byId = new Map(all.map((i) => [i.id, i]));
      const nodes = new Map<string, RevocationNode>(all.map((i) => [i.id, { id: i.id, ref: `${i.name}:${i.version}`, parentId: i.parent?.id }]));
      const ancestry = Object.fromEntries(versions.map((v) => [v.version, ancestorsOf(v.id, nodes).map((a) => ({ ref: a.ref, revoked: byId.get(a.id)?.revoked ?? false }))]));
      const history = (
        await db.query<{ channel: string; version: number; previous: number | null; at: string; by: string }>(
          `select h.channel, i.version, p.version as previous, ${iso('h.at')} as at, h.by
         from image_channel_history h join images i on i.id = h.image_id left join images p on p.id = h.previous_image_id
         where h.name = $1 order by h.id desc limit 200`,
          [name],
        )
      ).rows.map((h) => ChannelAssignment.parse({ channel: h.channel, version: label(h.version), at: h.at, by: h.by, ...(h.previous ? { previous: label(h.previous) } : {}) }));
      const channels = Object.fromEntries(versions.flatMap((v) => v.channels.map((c) => [c, v.version])));
      return ImageDetail.parse({
        name,
        versions,
        channels,
        history,
        ancestry,
        usage: await imageUsage(db, name, versions, all),
      });
    },

    async assignChannel(name, channel, version, by) {
      const image = await find(name, version);
      if (!image) throw new NotFoundError(`image '${name}' has no version '${version}'`, 'version');
      if (image.revoked) {
        const why = image.revocation?.from ? `its ancestor ${image.revocation.from} is revoked` : `it is revoked`;
        throw new ConflictError(`${name}:${version} cannot be put on channel '${channel}': ${why} (${image.revocation?.reason ?? ''})`, 'version');
      }
      await db.transaction((tx) => assign(tx, name, channel, image.id, by));
      const detail = await this.detail(name);
      return detail!.history.find((h) => h.channel === channel)!;
    },

    async channelMoves(afterId, since, limit) {
      const { rows } = await db.query<{ id: string | number; name: string; channel: string; version: number; at: Date | string; by: string }>(
        `select h.id, h.name, h.channel, i.version, h.at, h.by from image_channel_history h join images i on i.id = h.image_id
         where h.id > $1 and h.at >= $2 order by h.id limit $3`,
        [afterId, since, limit],
      );
      return rows.map((r) => ({ id: Number(r.id), name: r.name, channel: r.channel, version: `v${r.version}`, at: new Date(r.at).toISOString(), by: r.by }));
    },

    async revoke(name, version, revocation) {
      const n = versionNumber(version);
      const { rowCount } = await db.query(`update images set revoked_at = $3, revoke_reason = $4, revoked_by = $5 where name = $1 and version = $2`, [
        name,
        Number.isNaN(n) ? -1 : n,
        revocation.at,
        revocation.reason,
        revocation.by,
      ]);
      if (rowCount === 0) throw new NotFoundError(`image '${name}' has no version '${version}'`, 'version');
      return (await find(name, version))!;
    },

    async restore(name, version, restoration) {
      const n = versionNumber(version);
      const { rows } = await db.query<{ revokedAt: string | null; revoke_reason: string | null; revoked_by: string | null }>(
        `select ${iso('revoked_at')} as "revokedAt", revoke_reason, revoked_by from images where name = $1 and version = $2`,
        [name, Number.isNaN(n) ? -1 : n],
      );
      const row = rows[0];
      if (!row) throw new NotFoundError(`image '${name}' has no version '${version}'`, 'version');
      if (!row.revokedAt) {
        const from = (await find(name, version))?.revocation?.from;
        throw new ConflictError(from ? `${name}:${version} is revoked through its ancestor ${from}: restore that one` : `${name}:${version} is not revoked`, 'version');
      }
      const lifted = { at: row.revokedAt, reason: row.revoke_reason ?? '', by: row.revoked_by ?? '' };
      await db.query(
        `update images set revoked_at = null, revoke_reason = null, revoked_by = null,
           restored_at = $3, restore_reason = $4, restored_by = $5, lifted_revocation = $6 where name = $1 and version = $2`,
        [name, n, restoration.at, restoration.reason, restoration.by, JSON.stringify(lifted)],
      );
      return (await find(name, version))!;
    },
  };
}
