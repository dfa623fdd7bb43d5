import type { Migration } from '../migrate';

/**
 * Users, roles and what they may do (Fiat's model: roles hold READ/WRITE/EXECUTE grants per
 * application and per cloud account), sessions and API tokens stored only as hashes, the one-time
 * setup token of a fresh install, and an append-only audit log.
 */
export const authSchema: Migration = {
  version: 7,
  name: 'auth',
  up: `
    create table users (
      name text primary key,
      display_name text not null,
      -- argon2id; null for accounts that cannot log in with a password (service accounts)
      password_hash text,
      admin boolean not null default false,
      service_account boolean not null default false,
      disabled boolean not null default false,
      created_at timestamptz not null default now()
    );
    insert into users (name, display_name, service_account) values ('kiln-trigger', 'Automatic triggers (webhook, cron, pipeline)', true);

    create table roles (
      name text primary key,
      description text not null default ''
    );
    create table role_members (
      role text not null references roles (name) on delete cascade,
      user_name text not null references users (name) on delete cascade,
      primary key (role, user_name)
    );
    create table grants (
      role text not null references roles (name) on delete cascade,
      resource_type text not null check (resource_type in ('application', 'account')),
      resource text not null,
      permission text not null check (permission in ('READ', 'WRITE', 'EXECUTE')),
      primary key (role, resource_type, resource, permission)
    );

    -- Automatic triggers may run every application's pipelines until an admin narrows this role.
    insert into roles (name, description) values ('triggers', 'What automatic triggers (webhook, cron, pipeline) may start');
    insert into role_members (role, user_name) values ('triggers', 'kiln-trigger');
    insert into grants (role, resource_type, resource, permission) values ('triggers', 'application', '*', 'EXECUTE');

    create table sessions (
      id_hash text primary key,
      user_name text not null references users (name) on delete cascade,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      last_seen_at timestamptz not null,
      ip text,
      user_agent text
    );
    create table api_tokens (
      id uuid primary key,
      user_name text not null references users (name) on delete cascade,
      name text not null,
      prefix text not null,
      token_hash text not null unique,
      created_at timestamptz not null,
      last_used_at timestamptz,
      expires_at timestamptz,
      revoked_at timestamptz
    );
    create table setup_tokens (
      token_hash text primary key,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );

    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor text not null,
      action text not null,
      target text not null,
      status integer not null,
      details jsonb not null default '{}',
      ip text,
      user_agent text
    );
    create index audit_log_by_time on audit_log (at desc, id desc);
    -- Entries are never edited: refuse it in the database too, not only by having no API for it.
    create function audit_log_is_append_only() returns trigger language plpgsql as $$
      begin raise exception 'the audit log is append-only'; end $$;
    create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_is_append_only();
  `,
};
