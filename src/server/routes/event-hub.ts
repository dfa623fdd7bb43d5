import type { EventFilter, KilnEvent } from '../../shared/api/events';
import type { Repositories } from '../../db/types';
import type { EventBus } from '../../engine/index';

/** Where one client's messages go: an http.ServerResponse in the route, a fake in tests. */
export interface SseSink {
  /**
   * false = the socket's buffer is full: the message is queued, nothing more should be written until
   * 'drain'. `chunk` is the same message framed as one HTTP/1.1 chunk, encoded once for every client.
   */
  write(text: string, chunk: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
  /** Closes the connection at once (a client that stopped reading). */
  destroy(): void;
}

export interface HubOptions {
  heartbeatMs: number;
  pollMs: number;
  pageSize: number;
  /** Events of one topic kept in memory, so a client that fell behind or just connected joins without a read of its own. */
  bufferSize: number;
  /** A client whose socket stays full this long is closed; its EventSource reconnects with Last-Event-ID. */
  slowClientMs: number;
}

interface Entry {
  event: KilnEvent;
  /** Formatted once per event, not once per client. */
  text: string;
  /** The text as an HTTP/1.1 chunk, encoded once per event: at 5,000 streams, per-client encoding and framing cost more than the write. */
  chunk: Buffer;
}

const CRLF = Buffer.from('\r\n');
/** A message as one chunk of a chunked HTTP/1.1 body: its length in hex, CRLF, the bytes, CRLF. */
export function httpChunk(text: string): Buffer {
  const body = Buffer.from(text);
  return Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, CRLF]);
}
const KEEP_ALIVE = ': keep-alive\n\n';
const KEEP_ALIVE_CHUNK = httpChunk(KEEP_ALIVE);
const entryOf = (event: KilnEvent): Entry => {
  const text = formatEvent(event);
  return { event, text, chunk: httpChunk(text) };
};

interface Client {
  sink: SseSink;
  visible: (event: KilnEvent) => boolean;
  /** The last event id this client has been given (or skipped as invisible). */
  lastId: number;
  state: 'live' | 'catching' | 'blocked' | 'closed';
  onError: (err: unknown) => void;
  slowTimer?: NodeJS.Timeout;
  drain?: () => void;
}

export const formatEvent = (event: KilnEvent): string => `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

const topicKey = (filter: EventFilter) => `${filter.application ?? ''}|${filter.executionId ?? ''}`;

/**
 * One topic (a distinct filter): a single reader of the event log, however many clients watch it.
 * Why: with a read per client, 1,000 clients on one execution made 1,000 queries per event.
 *
 * `buffer` holds every event of the topic with an id in (floor, head]: a client resuming at or
 * after `floor` is served from memory; one further back reads the log by itself until it gets there.
 */
class Topic {
  private head: number;
  private floor: number;
  private buffer: Entry[] = [];
  private readonly clients = new Set<Client>();
  private reading = false;
  private again = false;
  /**
   * An id another process appended that may not have been readable yet (an older transaction was
   * still open, see events.ts): read again shortly until the watermark passes it, not at the poll.
   */
  private wanted: number | undefined;
  private wantedSince = 0;
  private retry: NodeJS.Timeout | undefined;
  private readonly timers: NodeJS.Timeout[];
  private readonly unsubscribe: () => void;

  constructor(
    private readonly repos: Pick<Repositories, 'events'>,
    bus: EventBus,
    private readonly filter: EventFilter,
    from: number,
    private readonly options: HubOptions,
    private readonly onEmpty: () => void,
  ) {
    this.head = from;
    this.floor = from;
    // Subscribed before the first read: an event stored meanwhile is then either read or notified.
    const want = (id: number | undefined) => {
      if (id !== undefined && id > (this.wanted ?? 0)) this.wanted = id;
      void this.pump();
    };
    const here = bus.subscribe(filter, (event) => want(event.id));
    // Another process's events: read at once rather than at the next poll.
    const elsewhere = bus.subscribeElsewhere?.(want);
    this.unsubscribe = () => {
      here();
      elsewhere?.();
    };
    this.timers = [
      setInterval(() => void this.pump(), options.pollMs),
      setInterval(() => {
        for (const c of this.clients) if (c.state === 'live' || c.state === 'catching') c.sink.write(KEEP_ALIVE, KEEP_ALIVE_CHUNK);
      }, options.heartbeatMs),
    ];
  }

  get size(): number {
    return this.clients.size;
  }

  add(client: Client): () => void {
    this.clients.add(client);
    void this.catchUp(client);
    return () => this.remove(client);
  }

  private remove(client: Client): void {
    if (client.state === 'closed') return;
    client.state = 'closed';
    clearTimeout(client.slowTimer);
    if (client.drain) client.sink.removeListener('drain', client.drain);
    this.clients.delete(client);
    if (this.clients.size === 0) {
      for (const t of this.timers) clearInterval(t);
      clearTimeout(this.retry);
      this.unsubscribe();
      this.onEmpty();
    }
  }

  /** Reads the log after head, once for every client; a call during a read asks for one more. */
  async pump(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    try {
      let full = true;
      while (this.clients.size > 0 && (full || this.again)) {
        this.again = false;
        const wanted = this.wanted;
        // Read before the page: everything below it is in the page (or an earlier one) if it matches.
        if (wanted !== undefined && wanted < (await this.repos.events.visibleBelow())) {
          if (this.wanted === wanted) {
            this.wanted = undefined;
            this.wantedSince = 0;
          }
        }
        const page = await this.repos.events.after(this.head, this.filter, this.options.pageSize);
        full = page.length === this.options.pageSize;
        const entries = page.map(entryOf);
        for (const entry of entries) {
          this.buffer.push(entry);
          this.head = entry.event.id;
        }
        const excess = this.buffer.length - this.options.bufferSize;
        if (excess > 0) this.floor = this.buffer.splice(0, excess).at(-1)!.event.id;
        for (const client of this.clients) if (client.state === 'live') this.send(client, entries);
      }
    } catch (err) {
      // The next notification or poll tick retries from head, so nothing is lost.
      const [first] = this.clients;
      first?.onError(err);
    } finally {
      this.reading = false;
      this.retryWanted();
    }
  }

  private retryWanted(): void {
    if (this.wanted === undefined || this.retry || this.clients.size === 0) return;
    this.wantedSince ||= Date.now();
    // Past a poll interval the poll covers it: stop asking.
    if (Date.now() - this.wantedSince > this.options.pollMs) {
      this.wanted = undefined;
      this.wantedSince = 0;
      return;
    }
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.pump();
    }, 5);
  }

  /** Writes what the client has not had yet; false when its socket filled up (it is then blocked). */
  private send(client: Client, entries: readonly Entry[]): boolean {
    for (const { event, text, chunk } of entries) {
      if (event.id <= client.lastId) continue;
      client.lastId = event.id;
      if (!client.visible(event)) continue;
      if (!client.sink.write(text, chunk)) {
        this.block(client);
        return false;
      }
    }
    return true;
  }

  /**
   * A full socket leaves the fan-out: others never wait for it. When it drains, the client catches
   * up from the buffer or the log; if it stays full for slowClientMs it is closed.
   */
  private block(client: Client): void {
    client.state = 'blocked';
    client.drain = () => {
      client.drain = undefined;
      clearTimeout(client.slowTimer);
      void this.catchUp(client);
    };
    client.sink.once('drain', client.drain);
    client.slowTimer = setTimeout(() => {
      this.remove(client);
      client.sink.destroy();
    }, this.options.slowClientMs);
  }

  /** Brings one client from its lastId to the head, then into the fan-out. */
  private async catchUp(client: Client): Promise<void> {
    client.state = 'catching';
    try {
      while (client.state === 'catching') {
        if (client.lastId >= this.floor) {
          // Synchronous from here to joining: no event can slip between the buffer and the fan-out.
          if (!this.send(client, this.buffer)) return;
          client.lastId = Math.max(client.lastId, this.head);
          client.state = 'live';
          return;
        }
        // Everything up to the head as it is now was committed before this read starts, so the read sees it.
        const headBefore = this.head;
        const page = await this.repos.events.after(client.lastId, this.filter, this.options.pageSize);
        if (client.state !== 'catching') return;
        const entries = page.map(entryOf);
        if (!this.send(client, entries)) return;
        if (page.length < this.options.pageSize) client.lastId = Math.max(client.lastId, headBefore);
      }
    } catch (err) {
      // The state may have changed while the read was awaited.
      if ((client.state as Client['state']) === 'closed') return;
      client.onError(err);
      // Retry shortly rather than leave the client stranded outside the fan-out.
      setTimeout(() => client.state === 'catching' && void this.catchUp(client), this.options.pollMs);
    }
  }
}

export interface EventHub {
  /** Starts delivering events after `from` to the sink; returns the unsubscribe (call it when the socket closes). */
  subscribe(filter: EventFilter, from: number, sink: SseSink, visible: (event: KilnEvent) => boolean, onError: (err: unknown) => void): () => void;
  /** Number of topics with clients (one log reader each). */
  readonly topics: number;
}

export function createEventHub(repos: Pick<Repositories, 'events'>, bus: EventBus, options: HubOptions): EventHub {
  const topics = new Map<string, Topic>();
  return {
    subscribe(filter, from, sink, visible, onError) {
      const key = topicKey(filter);
      let topic = topics.get(key);
      if (!topic) {
        const created = new Topic(repos, bus, filter, from, options, () => topics.get(key) === created && topics.delete(key));
        topic = created;
        topics.set(key, topic);
      }
      const unsubscribe = topic.add({ sink, visible, lastId: from, state: 'catching', onError });
      // The first read for a new topic (or a client ahead of it) happens now, not at the next poll.
      void topic.pump();
      return unsubscribe;
    },
    get topics() {
      return topics.size;
    },
  };
}
