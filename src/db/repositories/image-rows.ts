import { staleParent } from '../../shared/bakery/lineage';
import { effectiveRevocation, type RevocationNode } from '../../shared/bakery/revocation';
import { ImageVersion } from '../../shared/domain/image';
import { fromJson as json, iso, parseRows } from '../sql';
import type { Session } from '../types';

type Row = {
  id: string;
  name: string;
  version: number;
  createdAt: string;
  recipe_id: string | null;
  recipe_name: string | null;
  recipe_revision: number | null;
  build: unknown;
  digest: string;
  size_bytes: string | number;
  format: string;
  artifact: string;
  parent_id: string | null;
  run: unknown;
  revokedAt: string | null;
  revoke_reason: string | null;
  revoked_by: string | null;
  restoredAt: string | null;
  restore_reason: string | null;
  restored_by: string | null;
  lifted_revocation: unknown;
};

const SELECT = `select id, name, version, ${iso('created_at')} as "createdAt", recipe_id, recipe_name, recipe_revision, build,
  digest, size_bytes, format, artifact, parent_id, run, ${iso('revoked_at')} as "revokedAt", revoke_reason, revoked_by,
  ${iso('restored_at')} as "restoredAt", restore_reason, restored_by, lifted_revocation from images`;

/** What create() stores, as the read schema sees it. */
export const NEW_IMAGE = ImageVersion.pick({ name: true, recipe: true, build: true, digest: true, sizeBytes: true, format: true, artifact: true, run: true });

export const label = (n: number) => `v${n}`;
export const versionNumber = (v: string) => (/^v[1-9][0-9]*$/.test(v) ? Number(v.slice(1)) : NaN);

/** Every stored version with its effective revocation (through its ancestors), channels and stale parent. */
export async function loadImages(db: Session, now: Date): Promise<ImageVersion[]> {
  const rows = (await db.query<Row>(`${SELECT} order by name, version`)).rows;
  const channels = (await db.query<{ image_id: string; channel: string }>(`select image_id, channel from image_channels order by channel`)).rows;
  const nodes = new Map<string, RevocationNode>(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        ref: `${r.name}:${label(r.version)}`,
        parentId: r.parent_id ?? undefined,
        own: r.revokedAt ? { at: r.revokedAt, reason: r.revoke_reason ?? '', by: r.revoked_by ?? '' } : undefined,
      },
    ]),
  );
  const parsed = parseRows(
    ImageVersion,
    rows,
    'images',
    (r) => `${r.name}:${label(r.version)}`,
    (r) => {
      const { revocation, revoked } = effectiveRevocation(r.id, nodes, now);
      const run = json(r.run);
      const lifted = json(r.lifted_revocation);
      return {
        id: r.id,
        name: r.name,
        version: label(r.version),
        createdAt: r.createdAt,
        ...(r.recipe_id ? { recipe: { id: r.recipe_id, name: r.recipe_name, revision: r.recipe_revision } } : {}),
        build: json(r.build),
        digest: r.digest,
        sizeBytes: Number(r.size_bytes),
        format: r.format,
        artifact: r.artifact,
        ...(r.parent_id ? { parent: { id: r.parent_id, ref: nodes.get(r.parent_id)?.ref ?? r.parent_id } } : {}),
        ...(run ? { run } : {}),
        ...(revocation ? { revocation } : {}),
        revoked,
        ...(r.restoredAt && lifted ? { restoration: { at: r.restoredAt, reason: r.restore_reason ?? '', by: r.restored_by ?? '', lifted } } : {}),
        channels: channels.filter((c) => c.image_id === r.id).map((c) => c.channel),
      };
    },
  );
  return parsed.map((image) => {
    const stale = staleParent(image, parsed);
    return stale ? { ...image, staleParent: stale } : image;
  });
}
