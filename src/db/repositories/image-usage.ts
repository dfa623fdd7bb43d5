import { descendantsOf } from '../../shared/bakery/lineage';
import type { ImageUsage, ImageVersion } from '../../shared/domain/image';
import type { Session } from '../types';

type GroupRow = {
  image_name: string;
  image_version: string;
  application: string;
  account: string;
  region: string;
  cluster: string;
  name: string;
  instances: number;
  disabled: boolean;
};

/** Server groups running any version of these images, with their instance counts. */
async function groupsRunning(db: Session, names: readonly string[]): Promise<GroupRow[]> {
  const { rows } = await db.query<GroupRow>(
    `select sg.image_name, sg.image_version, sg.application, sg.account, sg.region, sg.cluster, sg.name, sg.disabled,
            (select count(*)::int from instances i where (i.account, i.region, i.server_group) = (sg.account, sg.region, sg.name)) as instances
     from server_groups sg where sg.image_name = any($1::text[]) order by sg.application, sg.account, sg.region, sg.name`,
    [[...new Set(names)]],
  );
  return rows;
}

const usageOf = (r: GroupRow, version: string, through?: string): ImageUsage => ({
  version,
  application: r.application,
  account: r.account,
  region: r.region,
  cluster: r.cluster,
  serverGroup: r.name,
  instances: r.instances,
  disabled: r.disabled,
  ...(through ? { through } : {}),
});

/**
 * Where an image's versions run: its own server groups, then those running images built on one of
 * its versions, each shown under the version it came from.
 */
export async function imageUsage(db: Session, name: string, versions: readonly ImageVersion[], all: readonly ImageVersion[]): Promise<ImageUsage[]> {
  const direct = (await groupsRunning(db, [name])).filter((r) => /^v[1-9][0-9]*$/.test(r.image_version)).map((r) => usageOf(r, r.image_version));
  const through = versions.flatMap((v) => descendantsOf(v.id, all).map((d) => ({ base: v.version, child: d })));
  if (through.length === 0) return direct;
  const rows = await groupsRunning(
    db,
    through.map((t) => t.child.name),
  );
  return [
    ...direct,
    ...rows.flatMap((r) =>
      through.filter((t) => t.child.name === r.image_name && t.child.version === r.image_version).map((t) => usageOf(r, t.base, `${r.image_name}:${r.image_version}`)),
    ),
  ];
}
