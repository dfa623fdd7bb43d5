import type { NewKilnEvent } from '../../shared/api/events';

/**
 * jsdom has no EventSource. This one records the URLs opened and lets a test deliver events the
 * way the BFF frames them (id, type, JSON data), drop the connection, or refuse it.
 */
export class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  static nextId = 1;

  readyState = FakeEventSource.CONNECTING;
  onopen: ((e: Event) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;

  constructor(readonly url: string) {
    super();
    FakeEventSource.instances.push(this);
    queueMicrotask(() => this.open());
  }

  static get latest(): FakeEventSource {
    const last = FakeEventSource.instances.at(-1);
    if (!last) throw new Error('no EventSource was opened');
    return last;
  }

  static install(): void {
    FakeEventSource.instances = [];
    FakeEventSource.nextId = 1;
    globalThis.EventSource = FakeEventSource as unknown as typeof EventSource;
  }

  open(): void {
    if (this.readyState === FakeEventSource.CLOSED) return;
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.(new Event('open'));
  }

  /** Sends one event with the next id (or the given one, to test duplicates). */
  emit(event: NewKilnEvent, id = FakeEventSource.nextId++): void {
    const data = JSON.stringify({ ...event, id, at: new Date().toISOString() });
    this.dispatchEvent(new MessageEvent(event.type, { data, lastEventId: String(id) }));
  }

  /** The browser gave up (an HTTP error): readyState CLOSED, the app must open a new one. */
  fail(): void {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.(new Event('error'));
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
}
