import type { z } from 'zod';
import type { evaluateVariablesStage } from '../../shared/stages/evaluate-variables';
import { defineHandler } from './handler';

type Config = z.output<typeof evaluateVariablesStage.config>;

export const evaluateVariablesHandler = defineHandler<Config>({
  async step({ config, resolve }) {
    const outputs: Record<string, unknown> = {};
    for (const { key, value } of config.variables) {
      try {
        outputs[key] = resolve(value);
      } catch (err) {
        return { status: 'FAILED', error: `variable '${key}': ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    return { status: 'SUCCEEDED', outputs };
  },
});
