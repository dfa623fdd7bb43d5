import { Account, AccountCredentials } from '../../shared/domain/account';
import { ConflictError } from '../errors';
import { checkWrite, iso, parseRow, parseRows, sqlState, UNIQUE_VIOLATION } from '../sql';
import type { Queryable } from '../types';

export interface AccountRepository {
  list(): Promise<Account[]>;
  get(name: string): Promise<Account | undefined>;
  upsert(account: Account): Promise<void>;
  /** Throws ConflictError when the name is taken. */
  create(account: Account, credentials: AccountCredentials | undefined, stamp: { at: string; by: string }): Promise<Account>;
  /** Replaces (or with null removes) the stored credentials, stamped with who and when. */
  setCredentials(name: string, credentials: AccountCredentials | null, stamp: { at: string; by: string }): Promise<void>;
  /** The write-only secrets, for the engine's calls to the account; never for an HTTP answer. */
  credentials(name: string): Promise<AccountCredentials | undefined>;
  /** False when it did not exist. */
  remove(name: string): Promise<boolean>;
  /** `region/name` of every server group recorded in the account. */
  serverGroupsIn(name: string): Promise<string[]>;
}

// The credentials column is deliberately absent: only `credentials(name)` reads it, for the engine.
const SELECT = `select name, provider, environment, regions, demo, disabled, endpoint, metrics,
  case when credentials is null then null else json_build_object('setAt', ${iso('credentials_set_at')}, 'setBy', credentials_set_by) end as credentials,
  coalesce(credentials ? 'prometheusToken', false) as prometheus_token_set
  from accounts`;

/** The Prometheus token shows only as set, stamped like the credentials it is stored with. */
const toAccount = ({ prometheus_token_set: tokenSet, metrics, ...r }: Record<string, unknown>) => {
  const prometheus = (metrics as { prometheus?: Record<string, unknown> } | null)?.prometheus;
  return {
    ...r,
    credentials: r.credentials ?? undefined,
    metrics: prometheus ? { prometheus: { ...prometheus, ...(tokenSet ? { token: r.credentials } : {}) } } : undefined,
  };
};

/** What is stored of the metrics source: never the token's stamp (derived on read) nor the token. */
const storedMetrics = (a: Account) => (a.metrics ? JSON.stringify({ prometheus: { ...a.metrics.prometheus, token: undefined } }) : null);

export function accountRepository(db: Queryable): AccountRepository {
  const get = async (name: string) => {
    const { rows } = await db.query<Record<string, unknown>>(`${SELECT} where name = $1`, [name]);
    return rows[0] && parseRow(Account, toAccount(rows[0]), 'account', { table: 'accounts', key: name });
  };
  return {
    async list() {
      const { rows } = await db.query<Record<string, unknown>>(`${SELECT} order by name`);
      return parseRows(Account, rows, 'accounts', (r) => String(r.name), toAccount);
    },

    get,

    async upsert(account) {
      const a = checkWrite(Account, account, 'account');
      await db.query(
        `insert into accounts (name, provider, environment, regions, demo, disabled, endpoint, metrics) values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (name) do update set provider = excluded.provider, environment = excluded.environment,
           regions = excluded.regions, demo = excluded.demo, disabled = excluded.disabled, endpoint = excluded.endpoint, metrics = excluded.metrics`,
        [a.name, a.provider, a.environment, a.regions, a.demo, a.disabled, JSON.stringify(a.endpoint), storedMetrics(a)],
      );
    },

    async create(account, credentials, stamp) {
      const a = checkWrite(Account, account, 'account');
      try {
        await db.query(
          `insert into accounts (name, provider, environment, regions, demo, disabled, endpoint, credentials, credentials_set_at, credentials_set_by, metrics)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            a.name,
            a.provider,
            a.environment,
            a.regions,
            a.demo,
            a.disabled,
            JSON.stringify(a.endpoint),
            credentials ? JSON.stringify(credentials) : null,
            credentials ? stamp.at : null,
            credentials ? stamp.by : null,
            storedMetrics(a),
          ],
        );
      } catch (err) {
        if (sqlState(err) === UNIQUE_VIOLATION) throw new ConflictError(`account '${a.name}' already exists`, 'name');
        throw err;
      }
      return (await get(a.name))!;
    },

    async setCredentials(name, credentials, stamp) {
      await db.query(
        'update accounts set credentials = $2, credentials_set_at = $3, credentials_set_by = $4 where name = $1',
        credentials ? [name, JSON.stringify(credentials), stamp.at, stamp.by] : [name, null, null, null],
      );
    },

    async credentials(name) {
      const { rows } = await db.query<{ credentials: unknown }>('select credentials from accounts where name = $1', [name]);
      const stored = rows[0]?.credentials;
      return stored ? parseRow(AccountCredentials, stored, 'account credentials', { table: 'accounts', key: name }) : undefined;
    },

    async remove(name) {
      const { rows } = await db.query('delete from accounts where name = $1 returning name', [name]);
      return rows.length > 0;
    },

    async serverGroupsIn(name) {
      const { rows } = await db.query<{ region: string; name: string }>('select region, name from server_groups where account = $1 order by region, name', [name]);
      return rows.map((r) => `${r.region}/${r.name}`);
    },
  };
}
