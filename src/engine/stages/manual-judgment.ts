import { z } from 'zod';
import type { manualJudgmentStage } from '../../shared/stages/manual-judgment';
import { defineHandler } from './handler';

type Config = z.output<typeof manualJudgmentStage.config>;

/** Stored in the stage context by the judge operation; never cleared. */
export const Judgment = z.object({
  decision: z.enum(['approve', 'reject']),
  by: z.string(),
  at: z.string(),
  comment: z.string().optional(),
  input: z.string().optional(),
});
export type Judgment = z.infer<typeof Judgment>;

export const manualJudgmentHandler = defineHandler<Config>({
  async step({ config, stage, now, resolve }) {
    const judgment = Judgment.safeParse(stage.context.judgment);
    if (judgment.success) {
      const j = judgment.data;
      if (j.decision === 'approve') return { status: 'SUCCEEDED', outputs: { judgment: j.input ?? 'approve', judgedBy: j.by } };
      return { status: 'FAILED', error: `rejected by ${j.by}${j.comment ? `: ${j.comment}` : ''}` };
    }
    const since = typeof stage.context.waitingSince === 'string' ? new Date(stage.context.waitingSince) : now;
    // The judge reads the instructions with their `${ … }` filled in (which image, which address),
    // as they were when the stage started waiting: a later wake (a restart, the deadline) keeps them.
    const filled = typeof stage.context.instructions === 'string' ? stage.context.instructions : instructionsFor(config.instructions, resolve);
    const waiting = { waitingSince: since.toISOString(), instructions: filled };
    if (config.timeoutSec !== undefined) {
      const deadline = new Date(since.getTime() + config.timeoutSec * 1000);
      if (now >= deadline) return { status: 'FAILED', error: `no judgment within ${config.timeoutSec} s` };
      return { status: 'SUSPENDED', wakeAt: deadline, context: waiting };
    }
    return { status: 'SUSPENDED', context: waiting };
  },
});

/** An expression that cannot be evaluated must not keep the judgment from being asked: say so in the text. */
function instructionsFor(text: string, resolve: (value: string) => unknown): string {
  try {
    return String(resolve(text) ?? '');
  } catch (err) {
    return `${text}\n\n(Kiln could not fill in these instructions: ${err instanceof Error ? err.message : String(err)})`;
  }
}
