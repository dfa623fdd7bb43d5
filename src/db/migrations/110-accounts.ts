import type { Migration } from '../migrate';

/**
 * Accounts become first-class: admins add, change, disable and remove them. A `docker` provider
 * and an `other` environment join the allowed values; endpoint settings are public, credentials
 * sit in their own column that no account query selects, stamped with who set them and when.
 */
export const accountsSchema: Migration = {
  version: 110,
  name: 'first-class accounts',
  up: /* sql */ `
    alter table accounts drop constraint accounts_provider_check;
    alter table accounts add constraint accounts_provider_check check (provider in ('local', 'docker', 'aws', 'gce', 'kubernetes'));
    alter table accounts drop constraint accounts_environment_check;
    alter table accounts add constraint accounts_environment_check check (environment in ('prod', 'staging', 'test', 'dev', 'other'));
    alter table accounts add column disabled boolean not null default false;
    alter table accounts add column endpoint jsonb not null default '{}'::jsonb;
    alter table accounts add column credentials jsonb;
    alter table accounts add column credentials_set_at timestamptz;
    alter table accounts add column credentials_set_by text;
  `,
};
