import type { z } from 'zod';
import type { placeholderStage } from '../../shared/stages/placeholder';
import { defineHandler } from './handler';

type Config = z.output<typeof placeholderStage.config>;

/** A run with placeholders is refused before it starts; this is the guard for one that got past (a stored run from before). */
export const placeholderHandler = defineHandler<Config>({
  async step({ config, stage }) {
    return { status: 'FAILED', error: `stage '${stage.name}' is a placeholder for ${config.source}'s '${config.sourceType}' stage, which Kiln cannot run; replace it` };
  },
});
