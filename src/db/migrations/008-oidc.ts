import type { Migration } from '../migrate';

/**
 * Single sign-on: which provider account (issuer + subject, the only stable identifier an OpenID
 * provider gives) is which Kiln user, and the sign-ins under way (PKCE verifier, state and nonce
 * between the redirect to the provider and its answer). Rows, not process memory, so the answer
 * may land on another Kiln process sharing the database.
 */
export const oidcSchema: Migration = {
  version: 8,
  name: 'oidc',
  up: `
    create table oidc_identities (
      issuer text not null,
      subject text not null,
      -- one provider account per Kiln user: a user with a row here is managed by the provider
      user_name text not null unique references users (name) on delete cascade,
      created_at timestamptz not null,
      last_login_at timestamptz not null,
      primary key (issuer, subject)
    );
    create table oidc_logins (
      -- SHA-256 of the secret in the browser's short-lived cookie that ties the answer to this browser
      flow_hash text primary key,
      state text not null,
      nonce text not null,
      code_verifier text not null,
      return_to text not null,
      expires_at timestamptz not null
    );
  `,
};
