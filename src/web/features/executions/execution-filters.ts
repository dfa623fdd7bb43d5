import type { ExecutionStatus, TriggerRecord } from '../../../shared/domain/execution';

export const TRIGGER_TYPES = ['manual', 'webhook', 'cron', 'pipeline', 'registry'] as const satisfies ReadonlyArray<TriggerRecord['type']>;
export const SINCE_OPTIONS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type Since = keyof typeof SINCE_OPTIONS;

/** The filters as the URL holds them: `since` stays relative ("24h") so a shared link keeps meaning "recent". */
export interface ExecutionFilters {
  status?: string | undefined;
  pipeline?: string | undefined;
  trigger?: string | undefined;
  since?: string | undefined;
}

export const FILTER_PARAMS = ['status', 'pipeline', 'trigger', 'since'] as const;

/** Read from the page URL and passed on unchecked: the BFF validates them and answers 400 naming a bad one. */
export function readExecutionFilters(params: URLSearchParams): ExecutionFilters {
  const get = (name: (typeof FILTER_PARAMS)[number]) => params.get(name) || undefined;
  return { status: get('status'), pipeline: get('pipeline'), trigger: get('trigger'), since: get('since') };
}

/** What the list API gets: a relative `since` becomes an instant, rounded down to the minute so the cache key holds still. */
export function apiFilters(f: ExecutionFilters, now = Date.now()): Record<string, string | undefined> {
  const ms = f.since && f.since in SINCE_OPTIONS ? SINCE_OPTIONS[f.since as Since] : undefined;
  const since = ms === undefined ? f.since : new Date(Math.floor((now - ms) / 60_000) * 60_000).toISOString();
  return { status: f.status, pipeline: f.pipeline, trigger: f.trigger, since };
}

export const RUNNING_STATUSES: readonly ExecutionStatus[] = ['RUNNING', 'PAUSED', 'BUFFERED'];
