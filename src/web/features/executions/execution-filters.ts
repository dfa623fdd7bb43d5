import type { Execution, ExecutionStatus } from '../../../shared/domain/execution';

/** Filters the list API applies. */
export interface ServerFilters {
  status?: ExecutionStatus | undefined;
  pipeline?: string | undefined;
}

export const TRIGGER_TYPES = ['manual', 'webhook', 'cron', 'pipeline'] as const;
export const SINCE_OPTIONS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type Since = keyof typeof SINCE_OPTIONS;

export interface ExecutionFilters extends ServerFilters {
  trigger?: (typeof TRIGGER_TYPES)[number] | undefined;
  since?: Since | undefined;
}

export const FILTER_PARAMS = ['status', 'pipeline', 'trigger', 'since'] as const;

/** Status and pipeline go to the BFF unchecked (it answers 400 naming a bad one); trigger and since are read here. */
export function readExecutionFilters(params: URLSearchParams): ExecutionFilters {
  const trigger = params.get('trigger');
  const since = params.get('since');
  return {
    status: (params.get('status') || undefined) as ExecutionStatus | undefined,
    pipeline: params.get('pipeline') || undefined,
    trigger: TRIGGER_TYPES.find((t) => t === trigger),
    since: since && since in SINCE_OPTIONS ? (since as Since) : undefined,
  };
}

export const serverFilters = (f: ExecutionFilters): ServerFilters => ({ status: f.status, pipeline: f.pipeline });

/**
 * Trigger type and time are applied to the loaded pages (the list API does not take them). The list
 * is newest first, so "since" is exact: once a page reaches older executions there is nothing more to load.
 */
export function applyClientFilters(executions: readonly Execution[], f: ExecutionFilters, now = Date.now()) {
  const cutoff = f.since ? now - SINCE_OPTIONS[f.since] : undefined;
  const shown = executions.filter(
    (e) => (!f.trigger || e.trigger.type === f.trigger) && (cutoff === undefined || Date.parse(e.createdAt) >= cutoff),
  );
  const reachedCutoff = cutoff !== undefined && executions.some((e) => Date.parse(e.createdAt) < cutoff);
  return { shown, reachedCutoff };
}
