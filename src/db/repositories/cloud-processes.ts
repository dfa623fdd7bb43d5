import type { Session } from '../types';

/** The child process behind one local-cloud instance. */
export interface CloudProcess {
  instanceId: string;
  account: string;
  region: string;
  serverGroup: string;
  pid: number;
  port: number;
  workDir: string;
}

export interface CloudProcessRepository {
  record(process: CloudProcess): Promise<void>;
  /** This Kiln's id (one per database): the container provider labels its containers with it. */
  installationId(): Promise<string>;
  forget(instanceId: string): Promise<void>;
  list(): Promise<CloudProcess[]>;
  /**
   * Takes or renews the lease to run the local cloud; false while another owner holds an unexpired
   * one, unless it is `takeFrom` (a holder known to be dead) or its process is gone past its grace (see holdLease).
   */
  acquireLease(owner: string, ttlMs: number, takeFrom?: string, lease?: string): Promise<boolean>;
  /**
   * acquireLease for a leader that self-fences: with `graceMs`, a holder that has joined presence
   * (migration 310) may be taken over `graceMs` after this renewal once its process is gone, not only
   * when the lease runs out. Undefined if not held; else `present`: whether that shorter bound
   * applies, so the holder stops acting within `graceMs` of this call unless it renews again; and
   * `alone`: this database has no other process (PGlite), so nobody can take the lease over at all.
   */
  holdLease(owner: string, opts: { ttlMs: number; graceMs?: number; takeFrom?: string | undefined; lease?: string }): Promise<{ present: boolean; alone: boolean } | undefined>;
  leaseHolder(lease?: string): Promise<string | undefined>;
  /**
   * Whether the lease may be taken now (nobody holds it, it ran out, or its holder's process is gone
   * past its grace), and by whom it is held: a read, cheap enough for a process standing by to ask often.
   */
  leaseState(lease?: string): Promise<{ holder: string | undefined; free: boolean }>;
  releaseLease(owner: string, lease?: string): Promise<void>;
}

export function cloudProcessRepository(db: Session): CloudProcessRepository {
  // One row per lease: 'local' (the local cloud), 'docker:<account>' (one container account).
  const holdLease: CloudProcessRepository['holdLease'] = async (owner, { ttlMs, graceMs, takeFrom, lease = 'local' }) => {
    // Insert, or take over an expired lease or a gone holder's, or renew our own: one statement, so two
    // processes cannot both win. `gone_after` stays null unless this owner has joined presence: only
    // then can it be called gone, and only then is it told to stop acting within the grace.
    const { rows } = await db.query<{ present: boolean }>(
      `insert into local_cloud_lease (id, owner, expires_at, gone_after)
       values ($4, $1, now() + make_interval(secs => $2 / 1000.0),
         case when $5::float8 is not null and exists (select 1 from engine_processes where owner = $1)
           then now() + make_interval(secs => $5::float8 / 1000.0) end)
       on conflict (id) do update set owner = excluded.owner, expires_at = excluded.expires_at, gone_after = excluded.gone_after
         where local_cloud_lease.owner = excluded.owner or local_cloud_lease.expires_at < now() or local_cloud_lease.owner = $3
           or (coalesce(local_cloud_lease.gone_after < now(), false) and kiln_owner_gone(local_cloud_lease.owner))
       returning gone_after is not null as present`,
      [owner, ttlMs, takeFrom ?? null, lease, graceMs ?? null],
    );
    return rows[0] ? { present: rows[0].present, alone: db.driver === 'pglite' } : undefined;
  };

  return {
    holdLease,

    async record(p) {
      await db.query(
        `insert into local_cloud_processes (instance_id, account, region, server_group, pid, port, work_dir)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (instance_id) do update set pid = excluded.pid, port = excluded.port, work_dir = excluded.work_dir`,
        [p.instanceId, p.account, p.region, p.serverGroup, p.pid, p.port, p.workDir],
      );
    },

    async installationId() {
      const { rows } = await db.query<{ id: string }>('select id from kiln_installation order by created_at limit 1');
      if (!rows[0]) throw new Error('this database has no Kiln installation id (migration 130 not applied?)');
      return rows[0].id;
    },

    async forget(instanceId) {
      await db.query('delete from local_cloud_processes where instance_id = $1', [instanceId]);
    },

    async acquireLease(owner, ttlMs, takeFrom, lease = 'local') {
      return (await holdLease(owner, { ttlMs, takeFrom, lease })) !== undefined;
    },

    async leaseHolder(lease = 'local') {
      const { rows } = await db.query<{ owner: string }>('select owner from local_cloud_lease where id = $1', [lease]);
      return rows[0]?.owner;
    },

    async leaseState(lease = 'local') {
      const { rows } = await db.query<{ owner: string; free: boolean }>(
        `select owner, expires_at < now() or (coalesce(gone_after < now(), false) and kiln_owner_gone(owner)) as free
         from local_cloud_lease where id = $1`,
        [lease],
      );
      return { holder: rows[0]?.owner, free: rows[0]?.free ?? true };
    },

    async releaseLease(owner, lease = 'local') {
      await db.query('delete from local_cloud_lease where id = $2 and owner = $1', [owner, lease]);
    },

    async list() {
      const { rows } = await db.query<Record<string, unknown>>(
        `select instance_id as "instanceId", account, region, server_group as "serverGroup", pid, port, work_dir as "workDir"
         from local_cloud_processes order by started_at, instance_id`,
      );
      return rows as unknown as CloudProcess[];
    },
  };
}
