import { Instance } from '../../shared/domain/instance';
import { iso, parseRow } from '../sql';
import type { Queryable } from '../types';

export interface InstanceRepository {
  get(id: string): Promise<Instance | undefined>;
}

export function instanceRepository(db: Queryable): InstanceRepository {
  return {
    async get(id) {
      const { rows } = await db.query(
        `select id, server_group as "serverGroup", account, region, zone, health, health_detail as "healthDetail",
                address, ${iso('launched_at')} as "launchedAt"
         from instances where id = $1`,
        [id],
      );
      return rows[0] && parseRow(Instance, rows[0], `instance ${id}`);
    },
  };
}
