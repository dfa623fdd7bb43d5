import type { Migration } from '../migrate';

/**
 * One counter bumped, in the same transaction, by every write that changes who may do what: each
 * Kiln process caches principals per token/session and compares this counter on every request, so a
 * token revoked (a grant removed, a user disabled) through one process is refused by every other
 * process sharing the database at its very next request. Triggers rather than application code, so
 * no writer (a route, the CLI, an admin's psql) can forget it. Recording a credential's last use
 * (last_used_at, last_seen_at) and creating a session or token change no one's rights and do not
 * bump it: sign-ins must not empty every process's cache.
 */
export const authEpochSchema: Migration = {
  version: 195,
  name: 'auth epoch',
  up: /* sql */ `
    create table auth_epoch (
      only_row boolean primary key default true check (only_row),
      epoch bigint not null
    );
    insert into auth_epoch (epoch) values (0);

    create function kiln_auth_changed() returns trigger language plpgsql as $$
    begin
      update auth_epoch set epoch = epoch + 1;
      return null;
    end $$;

    create trigger users_auth_epoch after insert or delete or update of name, admin, disabled, service_account on users
      for each statement execute function kiln_auth_changed();
    create trigger roles_auth_epoch after insert or update or delete on roles for each statement execute function kiln_auth_changed();
    create trigger role_members_auth_epoch after insert or update or delete on role_members for each statement execute function kiln_auth_changed();
    create trigger grants_auth_epoch after insert or update or delete on grants for each statement execute function kiln_auth_changed();
    create trigger oidc_identities_auth_epoch after insert or update or delete on oidc_identities for each statement execute function kiln_auth_changed();
    create trigger api_tokens_auth_epoch after delete or update of user_name, token_hash, expires_at, revoked_at on api_tokens
      for each statement execute function kiln_auth_changed();
    create trigger sessions_auth_epoch after delete or update of id_hash, user_name, expires_at on sessions
      for each statement execute function kiln_auth_changed();
  `,
};
