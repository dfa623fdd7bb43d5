import { ServerGroup } from '../../shared/domain/server-group';
import { currentActor } from '../actor-scope';
import { ConflictError } from '../errors';
import { checkWrite, constraintOf, iso, parseRow, parseRows, sqlState, UNIQUE_VIOLATION, withoutNulls } from '../sql';
import type { Queryable, Session, ServerGroupKeyRef } from '../types';

export interface ServerGroupRepository {
  /** With instances embedded, newest sequence first. */
  listByApplication(application: string): Promise<ServerGroup[]>;
  get(key: { account: string; region: string; name: string }): Promise<ServerGroup | undefined>;
  /** Inserts or replaces the group and its instance set. */
  save(serverGroup: ServerGroup): Promise<void>;
  /** Every group a provider runs (the local cloud reconciles them at start). */
  listManaged(provider: 'local' | 'docker' | 'qemu' | 'kubernetes'): Promise<ServerGroup[]>;
  /** Removes the group and its instances; false when it did not exist. */
  delete(key: ServerGroupKeyRef): Promise<boolean>;
}

/**
 * The instance set rides along as a jsonb array in the same statement, so listing an application's
 * groups is one query (no N+1) and sees a consistent snapshot of each group with its instances.
 */
const SELECT = `
  select sg.name, sg.application, sg.cluster, sg.stack, sg.detail, sg.sequence, sg.account, sg.region,
         sg.image_name, sg.image_version, sg.image_digest,
         sg.capacity_min, sg.capacity_desired, sg.capacity_max,
         sg.disabled, sg.load_balancers as "loadBalancers", ${iso('sg.launched_at')} as "launchedAt",
         sg.managed_by as "managedBy", nullif(sg.user_data, '') as "userData",
         coalesce((
           select jsonb_agg(jsonb_build_object(
                    'id', i.id, 'serverGroup', i.server_group, 'account', i.account, 'region', i.region,
                    'zone', i.zone, 'health', i.health, 'healthDetail', i.health_detail,
                    'address', i.address, 'launchedAt', ${iso('i.launched_at')}
                  ) order by i.ordinal)
           from instances i
           where (i.account, i.region, i.server_group) = (sg.account, sg.region, sg.name)
         ), '[]'::jsonb) as instances
  from server_groups sg`;

type Row = Record<string, unknown> & {
  image_name: unknown;
  image_version: unknown;
  image_digest: unknown;
  capacity_min: unknown;
  capacity_desired: unknown;
  capacity_max: unknown;
};

const keyOf = (row: Row) => `${String(row.account)}/${String(row.region)}/${String(row.name)}`;
function input(row: Row): unknown {
  const { image_name, image_version, image_digest, capacity_min, capacity_desired, capacity_max, ...rest } = row;
  return {
    ...withoutNulls(rest),
    image: withoutNulls({ name: image_name, version: image_version, digest: image_digest }),
    capacity: { min: capacity_min, desired: capacity_desired, max: capacity_max },
  };
}
const toServerGroup = (row: Row): ServerGroup => parseRow(ServerGroup, input(row), `server group ${keyOf(row)}`, { table: 'server_groups', key: keyOf(row) });
const toServerGroups = (rows: Row[]): ServerGroup[] => parseRows(ServerGroup, rows, 'server_groups', keyOf, input);

export function serverGroupRepository(db: Session): ServerGroupRepository {
  return {
    async listByApplication(application) {
      const { rows } = await db.query<Row>(
        `${SELECT} where sg.application = $1
         order by sg.sequence desc, sg.launched_at desc, sg.cluster, sg.account, sg.region`,
        [application],
      );
      return toServerGroups(rows);
    },

    async get(key) {
      const { rows } = await db.query<Row>(`${SELECT} where sg.account = $1 and sg.region = $2 and sg.name = $3`, [key.account, key.region, key.name]);
      return rows[0] && toServerGroup(rows[0]);
    },

    async listManaged(provider) {
      const { rows } = await db.query<Row>(`${SELECT} where sg.managed_by = $1 order by sg.account, sg.region, sg.name`, [provider]);
      return toServerGroups(rows);
    },

    async delete(key) {
      const { rowCount } = await db.query('delete from server_groups where account = $1 and region = $2 and name = $3', [key.account, key.region, key.name]);
      // The history row outlives the group: it is how "what ran there on date X" is answered.
      if (rowCount > 0) {
        await db.query('update server_group_history set destroyed_at = now() where account = $1 and region = $2 and name = $3 and destroyed_at is null', [
          key.account,
          key.region,
          key.name,
        ]);
      }
      return rowCount > 0;
    },

    async save(sg) {
      checkWrite(ServerGroup, sg, 'server group');
      for (const instance of sg.instances) {
        if (instance.serverGroup !== sg.name || instance.account !== sg.account || instance.region !== sg.region)
          throw new Error(`instance ${instance.id} names ${instance.account}/${instance.region}/${instance.serverGroup}, not its group ${sg.account}/${sg.region}/${sg.name}`);
      }
      await db.transaction(async (tx) => {
        const before = await tx.query<{ disabled: boolean }>('select disabled from server_groups where account = $1 and region = $2 and name = $3 for update', [
          sg.account,
          sg.region,
          sg.name,
        ]);
        await upsertGroup(tx, sg);
        await replaceInstances(tx, sg);
        // The first save of a group is its creation; later saves (health, capacity) change nothing here.
        await tx.query(
          `insert into server_group_history (account, region, name, application, cluster, image_name, image_version, created_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz) on conflict do nothing`,
          [sg.account, sg.region, sg.name, sg.application, sg.cluster, sg.image.name, sg.image.version, sg.launchedAt],
        );
        const previous = before.rows[0];
        if (!previous || previous.disabled !== sg.disabled) await recordTraffic(tx, sg, previous ? undefined : sg.launchedAt);
      });
    },
  };
}

/** A change of whether the group takes traffic, on its newest history row ("how long it served"). */
async function recordTraffic(tx: Queryable, sg: ServerGroup, at: string | undefined): Promise<void> {
  const actor = currentActor();
  await tx.query(
    `insert into server_group_traffic (account, region, name, created_at, at, enabled, by_user, by_execution, by_application)
     select account, region, name, created_at, coalesce($4::timestamptz, now()), $5, $6, $7, $8 from server_group_history
     where account = $1 and region = $2 and name = $3 order by created_at desc limit 1`,
    [sg.account, sg.region, sg.name, at ?? null, !sg.disabled, actor?.user ?? null, actor?.execution ?? null, actor?.application ?? null],
  );
}

async function upsertGroup(tx: Queryable, sg: ServerGroup): Promise<void> {
  await tx.query(
    `insert into server_groups (account, region, name, application, cluster, stack, detail, sequence,
       image_name, image_version, image_digest, capacity_min, capacity_desired, capacity_max,
       disabled, load_balancers, launched_at, managed_by, user_data)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::timestamptz, $18, $19)
     on conflict (account, region, name) do update set
       application = excluded.application, cluster = excluded.cluster, stack = excluded.stack,
       detail = excluded.detail, sequence = excluded.sequence, image_name = excluded.image_name,
       image_version = excluded.image_version, image_digest = excluded.image_digest,
       capacity_min = excluded.capacity_min, capacity_desired = excluded.capacity_desired,
       capacity_max = excluded.capacity_max, disabled = excluded.disabled,
       load_balancers = excluded.load_balancers, launched_at = excluded.launched_at,
       managed_by = excluded.managed_by, user_data = excluded.user_data`,
    [
      sg.account,
      sg.region,
      sg.name,
      sg.application,
      sg.cluster,
      sg.stack ?? null,
      sg.detail ?? null,
      sg.sequence,
      sg.image.name,
      sg.image.version,
      sg.image.digest ?? null,
      sg.capacity.min,
      sg.capacity.desired,
      sg.capacity.max,
      sg.disabled,
      sg.loadBalancers,
      sg.launchedAt,
      sg.managedBy ?? null,
      sg.userData ?? '',
    ],
  );
}

async function replaceInstances(tx: Queryable, sg: ServerGroup): Promise<void> {
  await tx.query('delete from instances where account = $1 and region = $2 and server_group = $3', [sg.account, sg.region, sg.name]);
  if (sg.instances.length === 0) return;
  const instances = sg.instances.map((i, ordinal) => ({
    id: i.id,
    ordinal,
    zone: i.zone,
    health: i.health,
    healthDetail: i.healthDetail,
    address: i.address,
    launchedAt: i.launchedAt,
  }));
  try {
    // One statement for the whole set: a group of 50 instances is not 50 round trips.
    await tx.query(
      `insert into instances (id, account, region, server_group, ordinal, zone, health, health_detail, address, launched_at)
       select x.id, $1, $2, $3, x.ordinal, x.zone, x.health, x."healthDetail", x.address, x."launchedAt"::timestamptz
       from jsonb_to_recordset($4::jsonb) as x(id text, ordinal integer, zone text, health text,
            "healthDetail" text, address text, "launchedAt" text)`,
      [sg.account, sg.region, sg.name, JSON.stringify(instances)],
    );
  } catch (err) {
    if (sqlState(err) === UNIQUE_VIOLATION && constraintOf(err) === 'instances_pkey')
      throw new ConflictError(`an instance of ${sg.name} has an id that another server group already uses`, 'instances');
    throw err;
  }
}
