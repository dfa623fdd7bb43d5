import { z } from 'zod';
import { findExpressions, isKilnExpression } from '../expression/evaluate';

/** What every layer knows of a stage type: its config schema, its name for people, its defaults. */
export interface StageDefinition<C extends z.ZodType = z.ZodType> {
  label: string;
  description: string;
  config: C;
  defaults: z.input<C>;
  /** Config fields as people call them, where the field's name in words would not do (forms and problem messages). */
  fieldLabels?: Readonly<Partial<Record<keyof z.input<C> & string, string>>>;
  /** The handler writes lines to the execution log, which the execution page then shows. */
  writesLog?: true;
  /** The stage waits (for time or a person); a person may skip it while it waits. */
  skippableWhileWaiting?: true;
  /** Made by an importer, never added by hand (placeholders). */
  notInPalette?: true;
}

export function defineStage<C extends z.ZodType>(d: StageDefinition<C>): StageDefinition<C> {
  return d;
}

/** A whole-value `${ … }` that must parse; evaluated when the stage runs. */
export const ExpressionString = z
  .string()
  .refine((value) => /^\$\{[^}]*\}$/.test(value) && isKilnExpression(value.slice(2, -1)), 'must be a number or a ${ … } expression')
  .superRefine((value, ctx) => {
    for (const found of findExpressions(value)) {
      if (found.error) ctx.addIssue({ code: 'custom', message: `expression '${found.source}': ${found.error}` });
    }
  });

/** Free text that may hold `${ … }` templates; each must parse. */
export const TemplateString = z.string().superRefine((value, ctx) => {
  for (const found of findExpressions(value)) {
    if (found.error) ctx.addIssue({ code: 'custom', message: `expression '${found.source}': ${found.error}` });
  }
});

export const Seconds = (max: number) => z.number().int().min(0).max(max);
