import { z } from 'zod';
import { defineStage, TemplateString } from './definition';
import { ImageName } from '../domain/recipe';
import { AccountName } from '../domain/ids';

export const bakeStage = defineStage({
  label: 'Bake',
  description:
    "Bakes an image from a stored recipe (bundle or disk), runs its image tests and registers the next version; outputs `image` ('name:vN'), `version` ('vN'), `imageId` and `checksum` for a later deploy; with `push` it also pushes the version to those accounts' registries.",
  config: z.object({
    /** The recipe's name (its newest revision is baked). */
    recipe: ImageName,
    /** Build again even when an identical recipe and inputs already made an image. */
    rebake: z.boolean().default(false),
    /** Build metadata recorded with the image; usually `${ trigger.… }` or an earlier stage's outputs. */
    gitCommit: TemplateString.optional(),
    gitRef: TemplateString.optional(),
    ciRunUrl: TemplateString.optional(),
    /** Accounts whose registries get the baked (oci) version once it passed its tests; the run's person needs EXECUTE on each. */
    push: z.array(AccountName).max(10).default([]),
  }),
  writesLog: true,
  defaults: { recipe: '', rebake: false },
});
