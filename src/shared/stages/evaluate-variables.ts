import { z } from 'zod';
import { defineStage, TemplateString } from './definition';

export const evaluateVariablesStage = defineStage({
  label: 'Evaluate variables',
  description: 'Computes named values from expressions; later stages read them as outputs.',
  config: z.object({
    variables: z
      .array(
        z.object({
          key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name is letters, digits and _'),
          value: TemplateString,
        }),
      )
      .min(1, 'add at least one variable')
      .refine((vs) => new Set(vs.map((v) => v.key)).size === vs.length, 'variable names must be unique'),
  }),
  defaults: { variables: [{ key: 'name', value: '' }] },
});
