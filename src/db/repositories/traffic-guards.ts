import type { Queryable } from '../types';

/** Clusters whose last enabled server group may not be disabled or destroyed. */
export interface TrafficGuardRepository {
  isProtected(account: string, cluster: string): Promise<boolean>;
  set(guard: { application: string; account: string; cluster: string }, on: boolean): Promise<void>;
  list(application: string): Promise<Array<{ account: string; cluster: string }>>;
}

export function trafficGuardRepository(db: Queryable): TrafficGuardRepository {
  return {
    async isProtected(account, cluster) {
      const { rows } = await db.query('select 1 from traffic_guards where account = $1 and cluster = $2', [account, cluster]);
      return rows.length > 0;
    },

    async set(guard, on) {
      if (on)
        await db.query('insert into traffic_guards (application, account, cluster) values ($1, $2, $3) on conflict do nothing', [guard.application, guard.account, guard.cluster]);
      else await db.query('delete from traffic_guards where account = $1 and cluster = $2', [guard.account, guard.cluster]);
    },

    async list(application) {
      const { rows } = await db.query<{ account: string; cluster: string }>('select account, cluster from traffic_guards where application = $1 order by account, cluster', [
        application,
      ]);
      return rows;
    },
  };
}
