import type { Migration } from '../migrate';

/** The bakery's third builder: OCI image layouts are registered like bundles and disk images. */
export const ociImagesSchema: Migration = {
  version: 31,
  name: 'oci images',
  up: /* sql */ `
    alter table images drop constraint images_format_check;
    alter table images add constraint images_format_check check (format in ('bundle', 'disk', 'oci'));
  `,
};
