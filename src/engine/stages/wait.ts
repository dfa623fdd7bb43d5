import type { z } from 'zod';
import type { waitStage } from '../../shared/stages/wait';
import { defineHandler } from './handler';

type Config = z.output<typeof waitStage.config>;

export const waitHandler = defineHandler<Config>({
  async step({ config, resolve, stage, now }) {
    const stored = stage.context.resumeAt;
    if (typeof stored === 'string') {
      // Time the execution sat paused does not count as waiting.
      const resumeAt = new Date(Date.parse(stored) + Number(stage.context.pausedMs ?? 0));
      if (now >= resumeAt) return { status: 'SUCCEEDED', outputs: { waitedUntil: stored } };
      return { status: 'RUNNING', wakeAt: resumeAt };
    }
    const seconds = Number(resolve(config.seconds));
    if (!Number.isFinite(seconds) || seconds < 0) {
      return { status: 'FAILED', error: `seconds evaluated to '${String(resolve(config.seconds))}', not a number of seconds` };
    }
    // The end time is stored on the first step, so a restart does not wait the whole time again.
    const resumeAt = new Date(now.getTime() + seconds * 1000);
    return { status: 'RUNNING', wakeAt: resumeAt, context: { resumeAt: resumeAt.toISOString() } };
  },
});
