import { matchesFilter, type EventFilter, type KilnEvent, type NewKilnEvent } from '../../shared/api/events';
import type { Repositories } from '../../db/types';

export interface EventBus {
  /** Stores the event (the log assigns id and time), then tells this process's subscribers. */
  publish(event: NewKilnEvent): Promise<KilnEvent>;
  /** Calls onEvent for each matching event published in this process; returns the unsubscribe. */
  subscribe(filter: EventFilter, onEvent: (event: KilnEvent) => void): () => void;
}

/**
 * The in-process half of live updates. The database log is the source of truth: a subscriber that
 * misses a notification (another Kiln process published, or it was busy) catches up by reading the
 * log by id, so notifications are only a hint to read now rather than at the next poll.
 */
export function createEventBus(repos: Pick<Repositories, 'events'>, onError?: (err: unknown) => void): EventBus {
  const subscribers = new Set<{ filter: EventFilter; onEvent: (event: KilnEvent) => void }>();

  return {
    async publish(event) {
      const stored = await repos.events.append(event);
      // Synchronous, never awaited: a slow or broken subscriber must not stall the engine.
      for (const subscriber of subscribers) {
        if (!matchesFilter(stored, subscriber.filter)) continue;
        try {
          subscriber.onEvent(stored);
        } catch (err) {
          onError?.(err);
        }
      }
      return stored;
    },

    subscribe(filter, onEvent) {
      const subscriber = { filter, onEvent };
      subscribers.add(subscriber);
      return () => void subscribers.delete(subscriber);
    },
  };
}
