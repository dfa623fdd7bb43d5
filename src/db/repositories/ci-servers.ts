import { CiServer } from '../../shared/domain/ci-server';
import { ConflictError } from '../errors';
import { checkWrite, iso, parseRow, parseRows, sqlState, UNIQUE_VIOLATION } from '../sql';
import type { Queryable } from '../types';

/** CI servers pipelines start builds on; the token is write-only. */
export interface CiServerRepository {
  list(): Promise<CiServer[]>;
  get(name: string): Promise<CiServer | undefined>;
  /** Throws ConflictError when the name is taken. */
  create(server: CiServer, token: string | undefined, stamp: { at: string; by: string }): Promise<CiServer>;
  /** Changes the URL and user name (never the token). */
  update(server: CiServer): Promise<void>;
  /** Replaces (or with null removes) the token, stamped with who and when. */
  setToken(name: string, token: string | null, stamp: { at: string; by: string }): Promise<void>;
  /** The write-only token, for the engine's calls; never for an HTTP answer. */
  token(name: string): Promise<string | undefined>;
  remove(name: string): Promise<boolean>;
}

// The token column is deliberately absent: only `token(name)` reads it, for the engine.
const SELECT = `select name, kind, url, username,
  case when token is null then null else json_build_object('setAt', ${iso('token_set_at')}, 'setBy', token_set_by) end as token
  from ci_servers`;

const toServer = (r: Record<string, unknown>) => (r.token === null ? { ...r, token: undefined } : r);

export function ciServerRepository(db: Queryable): CiServerRepository {
  const get = async (name: string) => {
    const { rows } = await db.query<Record<string, unknown>>(`${SELECT} where name = $1`, [name]);
    return rows[0] && parseRow(CiServer, toServer(rows[0]), 'CI server', { table: 'ci_servers', key: name });
  };
  return {
    async list() {
      const { rows } = await db.query<Record<string, unknown>>(`${SELECT} order by name`);
      return parseRows(CiServer, rows, 'ci_servers', (r) => String(r.name), toServer);
    },

    get,

    async create(server, token, stamp) {
      const s = checkWrite(CiServer, server, 'CI server');
      try {
        await db.query(`insert into ci_servers (name, kind, url, username, token, token_set_at, token_set_by) values ($1, $2, $3, $4, $5, $6, $7)`, [
          s.name,
          s.kind,
          s.url,
          s.username,
          token ?? null,
          token ? stamp.at : null,
          token ? stamp.by : null,
        ]);
      } catch (err) {
        if (sqlState(err) === UNIQUE_VIOLATION) throw new ConflictError(`CI server '${s.name}' already exists`, 'name');
        throw err;
      }
      return (await get(s.name))!;
    },

    async update(server) {
      const s = checkWrite(CiServer, server, 'CI server');
      await db.query('update ci_servers set url = $2, username = $3 where name = $1', [s.name, s.url, s.username]);
    },

    async setToken(name, token, stamp) {
      await db.query(
        'update ci_servers set token = $2, token_set_at = $3, token_set_by = $4 where name = $1',
        token ? [name, token, stamp.at, stamp.by] : [name, null, null, null],
      );
    },

    async token(name) {
      const { rows } = await db.query<{ token: string | null }>('select token from ci_servers where name = $1', [name]);
      return rows[0]?.token ?? undefined;
    },

    async remove(name) {
      const { rows } = await db.query('delete from ci_servers where name = $1 returning name', [name]);
      return rows.length > 0;
    },
  };
}
