import { LoadBalancer } from '../../shared/domain/load-balancer';
import { checkWrite, parseRows, withoutNulls } from '../sql';
import type { Queryable, ServerGroupKeyRef } from '../types';

export interface LoadBalancerRepository {
  listByApplication(application: string): Promise<LoadBalancer[]>;
  /** The balancers whose targets include the server group. */
  listForServerGroup(key: { account: string; region: string; name: string }): Promise<LoadBalancer[]>;
  save(loadBalancer: LoadBalancer): Promise<void>;
  get(key: ServerGroupKeyRef): Promise<LoadBalancer | undefined>;
  listManaged(provider: 'local' | 'docker' | 'qemu' | 'kubernetes'): Promise<LoadBalancer[]>;
}

const SELECT = `
  select name, application, account, region, protocol, address, health_check_path as "healthCheckPath", targets,
         managed_by as "managedBy"
  from load_balancers`;

export function loadBalancerRepository(db: Queryable): LoadBalancerRepository {
  const parse = (rows: Record<string, unknown>[]) =>
    parseRows(LoadBalancer, rows, 'load_balancers', (r) => `${String(r.account)}/${String(r.region)}/${String(r.name)}`, withoutNulls);
  return {
    async listByApplication(application) {
      const { rows } = await db.query(`${SELECT} where application = $1 order by name, account, region`, [application]);
      return parse(rows);
    },

    async listForServerGroup(key) {
      // A balancer only routes to groups in its own account and region; jsonb containment uses the GIN index.
      const { rows } = await db.query(`${SELECT} where account = $1 and region = $2 and targets @> $3::jsonb order by name`, [
        key.account,
        key.region,
        JSON.stringify([{ serverGroup: key.name }]),
      ]);
      return parse(rows);
    },

    async save(lb) {
      checkWrite(LoadBalancer, lb, 'load balancer');
      await db.query(
        `insert into load_balancers (account, region, name, application, protocol, address, health_check_path, targets, managed_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)
         on conflict (account, region, name) do update set application = excluded.application,
           protocol = excluded.protocol, address = excluded.address,
           health_check_path = excluded.health_check_path, targets = excluded.targets, managed_by = excluded.managed_by`,
        [lb.account, lb.region, lb.name, lb.application, lb.protocol, lb.address, lb.healthCheckPath, JSON.stringify(lb.targets), lb.managedBy ?? null],
      );
    },

    async get(key) {
      const { rows } = await db.query(`${SELECT} where account = $1 and region = $2 and name = $3`, [key.account, key.region, key.name]);
      return parse(rows)[0];
    },

    async listManaged(provider) {
      const { rows } = await db.query(`${SELECT} where managed_by = $1 order by account, region, name`, [provider]);
      return parse(rows);
    },
  };
}
