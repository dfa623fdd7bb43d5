import type { CloudProcess, CloudProcessRepository, Queryable } from '../types';

export function cloudProcessRepository(db: Queryable): CloudProcessRepository {
  return {
    async record(p) {
      await db.query(
        `insert into local_cloud_processes (instance_id, account, region, server_group, pid, port, work_dir)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (instance_id) do update set pid = excluded.pid, port = excluded.port, work_dir = excluded.work_dir`,
        [p.instanceId, p.account, p.region, p.serverGroup, p.pid, p.port, p.workDir],
      );
    },

    async forget(instanceId) {
      await db.query('delete from local_cloud_processes where instance_id = $1', [instanceId]);
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
