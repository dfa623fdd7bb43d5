import { useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback, useEffect, useEffectEvent, useSyncExternalStore } from 'react';
import { KilnEvent, type KilnEventType } from '../../shared/api/events';
import { COMPLETED, type Execution } from '../../shared/domain/execution';
import { queryKeys } from './query-keys';

export type LiveStatus = 'connecting' | 'open' | 'reconnecting';
type Listener = (event: KilnEvent) => void;

const EVENT_TYPES: readonly KilnEventType[] = ['execution.created', 'execution.status', 'stage.status', 'log.lines', 'judgment.recorded', 'cluster.operation'];
/** Coalesces refetches: a busy execution sends many events a second; the patch is instant, the refetch fills in details. */
const REFETCH_DELAY_MS = 150;
/** After a drop the stream is re-opened after this, doubling while it keeps failing, up to RETRY_MAX_MS. */
const RETRY_MS = 500;
const RETRY_MAX_MS = 8_000;
/** Kept open briefly after the last subscriber leaves, so navigating between pages keeps one connection. */
const LINGER_MS = 5_000;

/**
 * The tab's one connection to GET /api/events. Every message carries an id; after a drop the
 * stream is re-opened with `?after=<last id applied>` and the server replays what was missed (the
 * same resume point as Last-Event-ID). The browser's own reconnect is not relied on: whether it
 * sends Last-Event-ID could not be observed in our Chromium test (see e2e/executions.spec.ts), and
 * `after` is explicit. Every (re)open also refetches what is on screen, so events stored before
 * the first connection, while no id was known yet, are not lost either.
 */
export class LiveEvents {
  private source: EventSource | undefined;
  private lastId = 0;
  private readonly listeners = new Set<Listener>();
  private readonly openListeners = new Set<() => void>();
  private readonly statusListeners = new Set<(s: LiveStatus) => void>();
  private readonly pending = new Map<string, QueryKey>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryMs = RETRY_MS;
  status: LiveStatus = 'connecting';

  constructor(
    private readonly queryClient: QueryClient,
    private readonly url = '/api/events',
  ) {}

  subscribe(listener: Listener, onOpen?: () => void): () => void {
    this.listeners.add(listener);
    if (onOpen) this.openListeners.add(onOpen);
    clearTimeout(this.closeTimer);
    if (!this.source) this.connect();
    return () => {
      this.listeners.delete(listener);
      if (onOpen) this.openListeners.delete(onOpen);
      if (this.listeners.size === 0) this.closeTimer = setTimeout(() => this.close(), LINGER_MS);
    };
  }

  onStatus(listener: (s: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The id of the last event applied: where a reconnect resumes. */
  get lastEventId(): number {
    return this.lastId;
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    for (const l of this.statusListeners) l(status);
  }

  private connect(): void {
    // No EventSource (a very old browser): pages still load, they just are not live.
    if (typeof EventSource === 'undefined') return;
    const url = this.lastId > 0 ? `${this.url}?after=${this.lastId}` : this.url;
    const source = new EventSource(url);
    this.source = source;
    source.onopen = () => {
      this.retryMs = RETRY_MS;
      this.setStatus('open');
      this.invalidate(queryKeys.executions.all);
      this.invalidate(queryKeys.approvals.all);
      for (const l of this.openListeners) l();
    };
    source.onerror = () => {
      source.close();
      if (this.source !== source) return;
      this.source = undefined;
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
      this.setStatus('reconnecting');
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, (message) => this.receive(message as MessageEvent<string>));
  }

  private close(): void {
    clearTimeout(this.retryTimer);
    this.source?.close();
    this.source = undefined;
    this.setStatus('connecting');
  }

  private receive(message: MessageEvent<string>): void {
    let event: KilnEvent;
    try {
      event = KilnEvent.parse(JSON.parse(message.data));
    } catch {
      return; // A newer server's event this build does not know: nothing here could use it.
    }
    // A replay after a reconnect never repeats an id, but a re-created source could overlap; skip what was seen.
    if (event.id <= this.lastId) return;
    this.lastId = event.id;
    applyToCache(this.queryClient, event, (key) => this.invalidate(key));
    for (const l of this.listeners) l(event);
  }

  private invalidate(key: QueryKey): void {
    this.pending.set(JSON.stringify(key), key);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      const keys = [...this.pending.values()];
      this.pending.clear();
      for (const queryKey of keys) void this.queryClient.invalidateQueries({ queryKey });
    }, REFETCH_DELAY_MS);
  }
}

function patchExecution(queryClient: QueryClient, id: string, patch: (e: Execution) => Execution): void {
  queryClient.setQueryData<Execution>(queryKeys.executions.detail(id), (old) => (old ? patch(old) : old));
}

/** What each event means for cached server data: patch what the event says, refetch the rest. */
export function applyToCache(queryClient: QueryClient, event: KilnEvent, invalidate: (key: QueryKey) => void): void {
  const id = event.executionId;
  const lists = () => {
    if (event.application) invalidate(queryKeys.executions.forApplication(event.application));
    invalidate(queryKeys.executions.running());
  };
  switch (event.type) {
    case 'execution.created':
      lists();
      return;
    case 'execution.status':
      if (id) {
        patchExecution(queryClient, id, (e) => ({ ...e, status: event.data.status }));
        invalidate(queryKeys.executions.detail(id));
      }
      lists();
      if (COMPLETED.has(event.data.status)) invalidate(queryKeys.approvals.all);
      return;
    case 'stage.status': {
      const { refId, status, error } = event.data;
      if (id) {
        patchExecution(queryClient, id, (e) => ({
          ...e,
          stages: e.stages.map((s) => (s.refId === refId ? { ...s, status, ...(error ? { error } : {}) } : s)),
        }));
        invalidate(queryKeys.executions.detail(id));
      }
      if (status === 'SUSPENDED' || event.data.previous === 'SUSPENDED') invalidate(queryKeys.approvals.all);
      lists();
      return;
    }
    case 'judgment.recorded': {
      const { refId, decision, by, comment, input } = event.data;
      if (id) {
        const judgment = { decision, by, at: event.at, ...(comment ? { comment } : {}), ...(input ? { input } : {}) };
        patchExecution(queryClient, id, (e) => ({
          ...e,
          stages: e.stages.map((s) => (s.refId === refId ? { ...s, context: { ...s.context, judgment } } : s)),
        }));
        invalidate(queryKeys.executions.detail(id));
      }
      invalidate(queryKeys.approvals.all);
      return;
    }
    case 'log.lines':
      return; // Log views listen for these themselves; logs are not in the query cache.
    case 'cluster.operation':
      // A rollback moved on: its progress, the cards' "rolling back…" and the groups it swapped.
      if (event.application) invalidate(queryKeys.clusters.forApplication(event.application));
      return;
  }
}

const instances = new WeakMap<QueryClient, LiveEvents>();

/** The connection of this query client (one per tab; one per test render). */
export function liveEventsFor(queryClient: QueryClient): LiveEvents {
  let live = instances.get(queryClient);
  if (!live) {
    live = new LiveEvents(queryClient);
    instances.set(queryClient, live);
  }
  return live;
}

/**
 * Keeps the live connection open while the calling component is mounted. `onEvent` sees every
 * event after the cache has been patched; `onOpen` runs on every (re)connect, to catch up.
 */
export function useLiveEvents(onEvent?: Listener, onOpen?: () => void): LiveStatus {
  const live = liveEventsFor(useQueryClient());
  // Effect events see the caller's latest handlers, so the subscription is not renewed on every render.
  const seen = useEffectEvent((e: KilnEvent) => onEvent?.(e));
  const opened = useEffectEvent(() => onOpen?.());
  useEffect(
    () =>
      live.subscribe(
        (e) => seen(e),
        () => opened(),
      ),
    [live],
  );
  const onStatus = useCallback((changed: () => void) => live.onStatus(changed), [live]);
  return useSyncExternalStore(onStatus, () => live.status);
}
