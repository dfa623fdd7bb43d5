import { Account } from '../../shared/domain/account';
import { checkWrite, parseRow, parseRows } from '../sql';
import type { AccountRepository, Queryable } from '../types';

const SELECT = 'select name, provider, environment, regions, demo from accounts';

export function accountRepository(db: Queryable): AccountRepository {
  return {
    async list() {
      const { rows } = await db.query(`${SELECT} order by name`);
      return parseRows(Account, rows, 'accounts', (r) => String(r.name));
    },

    async get(name) {
      const { rows } = await db.query(`${SELECT} where name = $1`, [name]);
      return rows[0] && parseRow(Account, rows[0], 'account', { table: 'accounts', key: name });
    },

    async upsert(account) {
      checkWrite(Account, account, 'account');
      await db.query(
        `insert into accounts (name, provider, environment, regions, demo) values ($1, $2, $3, $4, $5)
         on conflict (name) do update set provider = excluded.provider, environment = excluded.environment,
           regions = excluded.regions, demo = excluded.demo`,
        [account.name, account.provider, account.environment, account.regions, account.demo],
      );
    },
  };
}
