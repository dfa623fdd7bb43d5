import { ImagePush } from '../../shared/domain/image';
import { iso, parseRows } from '../sql';
import type { Queryable } from '../types';

export interface ImagePushRepository {
  /** Records (or replaces) where an image version went: the latest push to a registry wins. */
  record(push: Omit<ImagePush, 'pushedAt'>): Promise<ImagePush>;
  /** Every registry an image version was pushed to, newest first. */
  list(name: string, version: string): Promise<ImagePush[]>;
  /** Every push of every version of an image, newest first (the image page shows them per version). */
  listByImage(name: string): Promise<ImagePush[]>;
}

const SELECT = `select image_name as name, image_version as version, registry, repository, digest, ${iso('pushed_at')} as "pushedAt" from image_pushes`;

export function imagePushRepository(db: Queryable): ImagePushRepository {
  const list = async (name: string, version: string) => {
    const { rows } = await db.query<Record<string, unknown>>(`${SELECT} where image_name = $1 and image_version = $2 order by pushed_at desc, registry`, [name, version]);
    return parseRows(ImagePush, rows, 'image_pushes', (r) => `${r.name}:${r.version}@${r.registry}`);
  };
  return {
    async record(push) {
      const p = ImagePush.omit({ pushedAt: true }).parse(push);
      await db.query(
        `insert into image_pushes (image_name, image_version, registry, repository, digest) values ($1, $2, $3, $4, $5)
         on conflict (image_name, image_version, registry) do update set repository = excluded.repository, digest = excluded.digest, pushed_at = now()`,
        [p.name, p.version, p.registry, p.repository, p.digest],
      );
      return (await list(p.name, p.version)).find((r) => r.registry === p.registry)!;
    },
    list,
    async listByImage(name) {
      const { rows } = await db.query<Record<string, unknown>>(`${SELECT} where image_name = $1 order by pushed_at desc, image_version, registry`, [name]);
      return parseRows(ImagePush, rows, 'image_pushes', (r) => `${r.name}:${r.version}@${r.registry}`);
    },
  };
}
