import { z } from 'zod';
import { defineStage, Seconds, TemplateString } from './definition';

export const manualJudgmentStage = defineStage({
  label: 'Manual judgment',
  description: 'Waits for a person with an allowed role to approve or reject, optionally choosing an input.',
  config: z.object({
    instructions: TemplateString.pipe(z.string().max(10_000)),
    inputOptions: z
      .array(z.string().trim().min(1, 'an input option must not be empty').max(100))
      .max(20)
      .refine((o) => new Set(o).size === o.length, 'input options must be unique')
      .default([]),
    allowedRoles: z.array(z.string().min(1).max(100)).default([]),
    /** The person who started the execution may not judge it (separation of duties). */
    separationOfDuties: z.boolean().default(false),
    timeoutSec: Seconds(30 * 24 * 3600).optional(),
  }),
  skippableWhileWaiting: true,
  defaults: { instructions: '', inputOptions: [], allowedRoles: [], separationOfDuties: false },
});
