import { ApiToken } from '../../shared/domain/user';
import { authChanged } from '../auth-changes';
import { iso, parseRows, withoutNulls } from '../sql';
import type { Session } from '../types';

export interface CredentialRepository {
  createSession(s: { idHash: string; userName: string; createdAt: string; expiresAt: string; ip?: string; userAgent?: string }): Promise<void>;
  /** The live session's user; undefined when unknown or expired. A read: touchSession marks it seen. */
  findSession(idHash: string, now: Date): Promise<{ userName: string; expiresAt: string } | undefined>;
  /** Records that the session was seen at `at` (never moves the time backwards). */
  touchSession(idHash: string, at: Date): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  deleteSessionsOf(userName: string): Promise<void>;
  createToken(t: { id: string; userName: string; name: string; prefix: string; tokenHash: string; createdAt: string; expiresAt?: string }): Promise<void>;
  /** A token that is neither revoked nor expired. A read: touchToken marks it used. */
  findToken(tokenHash: string, now: Date): Promise<{ id: string; userName: string; expiresAt?: string } | undefined>;
  /** Records that the token was used at `at` (never moves the time backwards). */
  touchToken(id: string, at: Date): Promise<void>;
  tokens(userName: string): Promise<ApiToken[]>;
  revokeToken(id: string, userName: string, now: Date): Promise<boolean>;
  createSetupToken(tokenHash: string, now: Date, expiresAt: Date): Promise<void>;
  /** True once per unexpired token. */
  useSetupToken(tokenHash: string, now: Date): Promise<boolean>;
}

/** Sessions, API tokens and setup tokens; only hashes of the secrets are stored. */
export function credentialRepository(db: Session): CredentialRepository {
  return {
    async createSession(s) {
      await db.query(`insert into sessions (id_hash, user_name, created_at, expires_at, last_seen_at, ip, user_agent) values ($1, $2, $3, $4, $3, $5, $6)`, [
        s.idHash,
        s.userName,
        s.createdAt,
        s.expiresAt,
        s.ip ?? null,
        s.userAgent ?? null,
      ]);
    },

    async findSession(idHash, now) {
      // A read only: writing last_seen on every request made each one a write (and, on PostgreSQL,
      // a hot-row lock for a busy session); touchSession records it, coalesced, off the request path.
      const { rows } = await db.query<{ user_name: string; expires_at: string }>(
        `select user_name, ${iso('expires_at')} as expires_at from sessions where id_hash = $1 and expires_at > $2`,
        [idHash, now.toISOString()],
      );
      return rows[0] ? { userName: rows[0].user_name, expiresAt: rows[0].expires_at } : undefined;
    },

    async touchSession(idHash, at) {
      await db.query('update sessions set last_seen_at = $2 where id_hash = $1 and last_seen_at < $2', [idHash, at.toISOString()]);
    },

    async deleteSession(idHash) {
      await db.query('delete from sessions where id_hash = $1', [idHash]);
      authChanged();
    },

    async deleteSessionsOf(userName) {
      await db.query('delete from sessions where user_name = $1', [userName]);
      authChanged();
    },

    async createToken(t) {
      await db.query(`insert into api_tokens (id, user_name, name, prefix, token_hash, created_at, expires_at) values ($1, $2, $3, $4, $5, $6, $7)`, [
        t.id,
        t.userName,
        t.name,
        t.prefix,
        t.tokenHash,
        t.createdAt,
        t.expiresAt ?? null,
      ]);
    },

    async findToken(tokenHash, now) {
      // A read only, for the reason given in findSession; touchToken records the use.
      const { rows } = await db.query<{ user_name: string; id: string; expires_at: string | null }>(
        `select id, user_name, ${iso('expires_at')} as expires_at from api_tokens
         where token_hash = $1 and revoked_at is null and (expires_at is null or expires_at > $2)`,
        [tokenHash, now.toISOString()],
      );
      const row = rows[0];
      return row ? { id: row.id, userName: row.user_name, ...(row.expires_at ? { expiresAt: row.expires_at } : {}) } : undefined;
    },

    async touchToken(id, at) {
      await db.query('update api_tokens set last_used_at = $2 where id = $1 and (last_used_at is null or last_used_at < $2)', [id, at.toISOString()]);
    },

    async tokens(userName) {
      const { rows } = await db.query(
        `select id, name, prefix, ${iso('created_at')} as "createdAt", ${iso('last_used_at')} as "lastUsedAt",
                ${iso('expires_at')} as "expiresAt", ${iso('revoked_at')} as "revokedAt"
         from api_tokens where user_name = $1 order by created_at desc`,
        [userName],
      );
      return parseRows(ApiToken, rows, 'api_tokens', (r) => String(r.id), withoutNulls);
    },

    async revokeToken(id, userName, now) {
      const { rowCount } = await db.query('update api_tokens set revoked_at = coalesce(revoked_at, $3) where id = $1 and user_name = $2', [id, userName, now.toISOString()]);
      authChanged();
      return rowCount > 0;
    },

    async createSetupToken(tokenHash, now, expiresAt) {
      await db.query('insert into setup_tokens (token_hash, created_at, expires_at) values ($1, $2, $3) on conflict do nothing', [
        tokenHash,
        now.toISOString(),
        expiresAt.toISOString(),
      ]);
    },

    async useSetupToken(tokenHash, now) {
      // Compare-and-set: of two people racing with the same link, one creates the admin.
      const { rowCount } = await db.query('update setup_tokens set used_at = $2 where token_hash = $1 and used_at is null and expires_at > $2', [tokenHash, now.toISOString()]);
      return rowCount > 0;
    },
  };
}
