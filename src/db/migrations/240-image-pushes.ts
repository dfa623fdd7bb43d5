import type { Migration } from '../migrate';

/**
 * Where each image version was pushed and the manifest digest the registry holds it under, so a
 * cluster runs exactly that (`repository@digest`) and the registry page can say where it went.
 * No foreign key: an image version is found by name and label (`v3`), the way deploys name it.
 */
export const imagePushesSchema: Migration = {
  version: 240,
  name: 'image pushes',
  up: /* sql */ `
    create table image_pushes (
      image_name text not null,
      image_version text not null,
      registry text not null,
      repository text not null,
      digest text not null check (digest ~ '^sha256:[a-f0-9]{64}$'),
      pushed_at timestamptz not null default now(),
      primary key (image_name, image_version, registry)
    );
  `,
};
