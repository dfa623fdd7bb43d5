import type { Migration } from '../migrate';

/**
 * Pipeline configs with every revision kept (who, when). `pipelines` holds the newest revision
 * for fast listing; `pipeline_revisions` is the append-only history that restore reads from.
 */
export const pipelinesSchema: Migration = {
  version: 2,
  name: 'pipelines',
  up: `
    create table pipelines (
      id uuid primary key,
      application text not null references applications (name) on update cascade,
      name text not null,
      revision integer not null check (revision > 0),
      config jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by text not null,
      unique (application, name)
    );

    create table pipeline_revisions (
      pipeline_id uuid not null references pipelines (id) on delete cascade,
      revision integer not null check (revision > 0),
      config jsonb not null,
      updated_at timestamptz not null,
      updated_by text not null,
      primary key (pipeline_id, revision)
    );
  `,
};
