import { matchesFilter, type EventFilter, type KilnEvent, type NewKilnEvent } from '../../shared/api/events';
import type { Repositories } from '../../db/types';
import type { Signals } from '../../db/signals';

export interface EventBus {
  /** Stores the event (the log assigns id and time), then tells this process's subscribers. */
  publish(event: NewKilnEvent): Promise<KilnEvent>;
  /** Tells the other processes and this one's subscribers of an event already stored (with the write it tells of). */
  deliver(stored: KilnEvent): void;
  /** Calls onEvent for each matching event published in this process; returns the unsubscribe. */
  subscribe(filter: EventFilter, onEvent: (event: KilnEvent) => void): () => void;
  /**
   * Calls onAppend when another Kiln process on the database appended events, with the newest id it
   * knows of (a hint to read the log now rather than at the next poll); returns the unsubscribe.
   */
  subscribeElsewhere?(onAppend: (id: number | undefined) => void): () => void;
}

/**
 * The in-process half of live updates. The database log is the source of truth: a subscriber that
 * misses a notification (another Kiln process published, or it was busy) catches up by reading the
 * log by id, so notifications are only a hint to read now rather than at the next poll.
 */
export function createEventBus(repos: Pick<Repositories, 'events'>, onError?: (err: unknown) => void, signals?: Signals): EventBus {
  const subscribers = new Set<{ filter: EventFilter; onEvent: (event: KilnEvent) => void }>();
  const deliver = (stored: KilnEvent) => {
    signals?.notify('events', stored.id);
    // Synchronous, never awaited: a slow or broken subscriber must not stall the engine.
    for (const subscriber of subscribers) {
      if (!matchesFilter(stored, subscriber.filter)) continue;
      try {
        subscriber.onEvent(stored);
      } catch (err) {
        onError?.(err);
      }
    }
  };

  return {
    async publish(event) {
      const stored = await repos.events.append(event);
      deliver(stored);
      return stored;
    },

    deliver,

    subscribe(filter, onEvent) {
      const subscriber = { filter, onEvent };
      subscribers.add(subscriber);
      return () => void subscribers.delete(subscriber);
    },

    subscribeElsewhere(onAppend) {
      return signals?.listen('events', onAppend) ?? (() => undefined);
    },
  };
}
