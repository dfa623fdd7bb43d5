import { cronMatches, parseCron } from '../../shared/domain/cron';
import { triggerExpressionProblems } from '../../shared/domain/trigger-literals';
import type { Pipeline, Trigger } from '../../shared/domain/pipeline';
import type { Repositories } from '../../db/types';

const MINUTE = 60_000;
/** After a long stop, only the last hour of missed minutes fires: not a day's worth of runs at once. */
const CATCH_UP_MINUTES = 60;

/**
 * Looks at cron triggers once per minute boundary and fires each matching one. Firing is keyed by
 * pipeline, trigger and minute (the run's id is derived from them), so several Kiln processes
 * checking the same minute start it once.
 */
export function createCronScheduler(deps: {
  repos: Repositories;
  now: () => Date;
  /** The trigger says whom the run acts as (`runAs`). */
  fire: (pipeline: Pipeline, trigger: Extract<Trigger, { type: 'cron' }>, cause: string) => Promise<unknown>;
  onError?: (err: unknown) => void;
}) {
  const floor = (d: Date) => Math.floor(d.getTime() / MINUTE) * MINUTE;
  let last = floor(deps.now());
  // A trigger saved with `${` in its schedule or time zone (before that was refused) never fires:
  // it is skipped as if disabled, and reported once per process rather than in silence (or by
  // throwing, which would stop every later pipeline's cron this minute).
  const reported = new Set<string>();
  const unusable = (pipeline: Pipeline, index: number): boolean => {
    const problem = triggerExpressionProblems({ triggers: pipeline.triggers }).find((p) => p.path.startsWith(`triggers[${index}].`));
    if (!problem) return false;
    const key = `${pipeline.id}/${index}/${problem.path}`;
    if (!reported.has(key)) {
      reported.add(key);
      deps.onError?.(new Error(`pipeline '${pipeline.name}' of ${pipeline.application}: its cron trigger never starts a run until ${problem.path} is edited: ${problem.message}`));
    }
    return true;
  };

  return {
    /** Fires what is due since the last check; returns how many runs it asked for. */
    async check(): Promise<number> {
      const current = floor(deps.now());
      if (current <= last) return 0;
      const minutes: Date[] = [];
      for (let m = Math.max(last + MINUTE, current - (CATCH_UP_MINUTES - 1) * MINUTE); m <= current; m += MINUTE) minutes.push(new Date(m));
      last = current;
      let fired = 0;
      for (const pipeline of await deps.repos.pipelines.withCron()) {
        if (pipeline.disabled) continue;
        for (const [index, trigger] of pipeline.triggers.entries()) {
          if (trigger.type !== 'cron' || !trigger.enabled || unusable(pipeline, index)) continue;
          const schedule = parseCron(trigger.expression);
          for (const minute of minutes.filter((m) => cronMatches(schedule, m, trigger.timezone))) {
            fired += 1;
            await deps.fire(pipeline, trigger, `cron/${pipeline.id}/${index}/${minute.toISOString()}`).catch((err: unknown) => deps.onError?.(err));
          }
        }
      }
      return fired;
    },
  };
}
