import { z } from 'zod';
import { defineStage, ExpressionString, Seconds } from './definition';

export const waitStage = defineStage({
  label: 'Wait',
  description: 'Pauses the branch for a number of seconds; a person may skip the rest of the wait.',
  config: z.object({
    seconds: z.union([Seconds(7 * 24 * 3600), ExpressionString]),
    skippable: z.boolean().default(true),
  }),
  skippableWhileWaiting: true,
  fieldLabels: { seconds: 'Wait time' },
  defaults: { seconds: 30, skippable: true },
});
