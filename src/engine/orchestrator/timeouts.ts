import type { StageExecution } from '../../shared/domain/execution';

/**
 * When an active stage runs out of time: its start plus `timeoutSec` plus the time its execution
 * sat paused while it ran (stored on resume), so pausing never makes a stage time out.
 */
export function stageDeadline(stage: StageExecution): Date | undefined {
  if (stage.timeoutSec === undefined || !stage.startedAt) return undefined;
  const pausedMs = Number(stage.context.pausedMs ?? 0);
  return new Date(Date.parse(stage.startedAt) + stage.timeoutSec * 1000 + (Number.isFinite(pausedMs) ? pausedMs : 0));
}
