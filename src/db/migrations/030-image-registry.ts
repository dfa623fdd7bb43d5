import type { Migration } from '../migrate';

/**
 * The bakery's recipes (every revision kept, like pipelines) and the image registry:
 * - `images`: one row per baked version (v1, v2… per name) with its build metadata, content digest,
 *   parent (ancestry) and its own revocation. A descendant's revocation is computed on read from
 *   its ancestors, so revoking a base image needs no fan-out writes and a scheduled revocation
 *   takes effect by itself when its time comes.
 * - `cache_key`: sha256 of the recipe revision and its inputs; an identical bake returns the image.
 * - `image_channels` points a channel (`latest`, `production`) at a version; every move is kept in
 *   `image_channel_history`.
 */
export const imageRegistrySchema: Migration = {
  version: 30,
  name: 'image registry and bake recipes',
  up: /* sql */ `
    create table recipes (
      id uuid primary key,
      name text not null unique,
      revision integer not null check (revision > 0),
      config jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by text not null
    );

    create table recipe_revisions (
      recipe_id uuid not null references recipes (id) on delete cascade,
      revision integer not null check (revision > 0),
      config jsonb not null,
      updated_at timestamptz not null,
      updated_by text not null,
      primary key (recipe_id, revision)
    );

    create table images (
      id uuid primary key,
      name text not null,
      version integer not null check (version > 0),
      created_at timestamptz not null default now(),
      recipe_id uuid references recipes (id),
      recipe_name text,
      recipe_revision integer,
      build jsonb not null,
      digest text not null,
      size_bytes bigint not null check (size_bytes >= 0),
      format text not null check (format in ('bundle', 'disk')),
      artifact text not null,
      parent_id uuid references images (id),
      run jsonb,
      cache_key text,
      revoked_at timestamptz,
      revoke_reason text,
      revoked_by text,
      unique (name, version)
    );
    create index images_cache_key_idx on images (cache_key);
    create index images_parent_idx on images (parent_id);

    create table image_channels (
      name text not null,
      channel text not null,
      image_id uuid not null references images (id),
      assigned_at timestamptz not null default now(),
      assigned_by text not null,
      primary key (name, channel)
    );

    create table image_channel_history (
      id bigserial primary key,
      name text not null,
      channel text not null,
      image_id uuid not null references images (id),
      previous_image_id uuid references images (id),
      at timestamptz not null default now(),
      by text not null
    );
    create index image_channel_history_name_idx on image_channel_history (name, id desc);
  `,
};
