import type { Session } from '../types';
import { ConflictError } from '../errors';
import { sqlState, UNIQUE_VIOLATION } from '../sql';

/** Single sign-on: provider accounts linked to users, and sign-ins waiting for the provider's answer. */
export interface OidcRepository {
  saveLogin(login: { flowHash: string; state: string; nonce: string; codeVerifier: string; returnTo: string; createdAt: string; expiresAt: string }): Promise<void>;
  /** The waiting sign-in, removed as it is read; undefined when unknown, used or expired. */
  takeLogin(flowHash: string, now: Date): Promise<{ state: string; nonce: string; codeVerifier: string; returnTo: string } | undefined>;
  userOf(issuer: string, subject: string): Promise<string | undefined>;
  /** Whether the user signs in through the provider (and so has no password of their own). */
  isManaged(userName: string): Promise<boolean>;
  /** Creates the user (create: true) or takes over the local one; ConflictError when the name is taken. */
  link(identity: { issuer: string; subject: string; userName: string; displayName: string; create: boolean; at: string }): Promise<void>;
  touch(issuer: string, subject: string, at: string): Promise<void>;
}

/** Provider accounts linked to Kiln users, and sign-ins waiting for the provider's answer. */
export function oidcRepository(db: Session): OidcRepository {
  return {
    async saveLogin(login) {
      // Abandoned sign-ins (the person closed the tab at the provider) go on the next one.
      await db.query('delete from oidc_logins where expires_at < $1', [login.createdAt]);
      await db.query('insert into oidc_logins (flow_hash, state, nonce, code_verifier, return_to, expires_at) values ($1, $2, $3, $4, $5, $6)', [
        login.flowHash,
        login.state,
        login.nonce,
        login.codeVerifier,
        login.returnTo,
        login.expiresAt,
      ]);
    },

    async takeLogin(flowHash, now) {
      // Deleted as it is read: an answer can be used once, even when replayed to two processes.
      const { rows } = await db.query<{ state: string; nonce: string; code_verifier: string; return_to: string; expired: boolean }>(
        'delete from oidc_logins where flow_hash = $1 returning state, nonce, code_verifier, return_to, expires_at < $2 as expired',
        [flowHash, now.toISOString()],
      );
      const row = rows[0];
      if (!row || row.expired) return undefined;
      return { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, returnTo: row.return_to };
    },

    async userOf(issuer, subject) {
      const { rows } = await db.query<{ user_name: string }>('select user_name from oidc_identities where issuer = $1 and subject = $2', [issuer, subject]);
      return rows[0]?.user_name;
    },

    async isManaged(userName) {
      const { rowCount } = await db.query('select 1 from oidc_identities where user_name = $1', [userName]);
      return rowCount > 0;
    },

    async link(identity) {
      return db.transaction(async (tx) => {
        try {
          if (identity.create) {
            await tx.query('insert into users (name, display_name, password_hash, created_at) values ($1, $2, null, $3)', [identity.userName, identity.displayName, identity.at]);
          } else {
            // Taken over from a local account: its password no longer signs anyone in.
            await tx.query('update users set password_hash = null where name = $1', [identity.userName]);
          }
          await tx.query('insert into oidc_identities (issuer, subject, user_name, created_at, last_login_at) values ($1, $2, $3, $4, $4)', [
            identity.issuer,
            identity.subject,
            identity.userName,
            identity.at,
          ]);
        } catch (err) {
          if (sqlState(err) === UNIQUE_VIOLATION) throw new ConflictError(`user '${identity.userName}' already exists`, 'name');
          throw err;
        }
      });
    },

    async touch(issuer, subject, at) {
      await db.query('update oidc_identities set last_login_at = $3 where issuer = $1 and subject = $2', [issuer, subject, at]);
    },
  };
}
