import type { EventFilter, KilnEvent } from '../../shared/api/events';
import type { Repositories } from '../../db/types';
import type { EventBus } from '../../engine/index';
import { batchesOf, type Batch, entryOf, KEEP_ALIVE, type Entry, type Reader } from './sse-frames';

/** Where one client's messages go: an http.ServerResponse in the route, a fake in tests. */
export interface SseSink {
  /**
   * false = the socket's buffer is full: the message is queued, nothing more should be written until
   * 'drain'. `chunk` is the same message framed as HTTP/1.1 chunks, encoded once for every client.
   * One write may carry several events (those read together), each framed as in a write of its own.
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

interface Client extends Reader {
  sink: SseSink;
  /** The last event id this client has been given (or skipped as invisible). */
  lastId: number;
  state: 'live' | 'catching' | 'blocked' | 'closed';
  onError: (err: unknown) => void;
  slowTimer?: NodeJS.Timeout;
  drain?: () => void;
}

/** Events per write while one stream catches up. */
const CATCH_UP_EVENTS = 32;
/** Bytes per write, about: more events than this (a flood of log lines) go in several writes. */
const BATCH_BYTES = 256 * 1024;

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
  private caughtUp = false;
  private again = false;
  /**
   * An id another process appended that may not have been readable yet (an older transaction was
   * still open, see events.ts): read again shortly until the watermark passes it, not at the poll.
   */
  private wanted: number | undefined;
  private wantedSince = 0;
  /** Events this process published for the topic, not read yet: the read returns these in their place. */
  private readonly local = new Map<number, KilnEvent>();
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
    const here = bus.subscribe(filter, (event) => {
      // Held until the read passes it, so its payload (a log batch: up to 512 KB) is not read and parsed again.
      if (event.id > this.head && this.local.size < options.bufferSize) this.local.set(event.id, event);
      want(event.id);
    });
    // Another process's events: read at once rather than at the next poll.
    const elsewhere = bus.subscribeElsewhere?.(want);
    this.unsubscribe = () => {
      here();
      elsewhere?.();
    };
    this.timers = [
      setInterval(() => void this.pump(), options.pollMs),
      setInterval(() => {
        for (const c of this.clients) if (c.state === 'live' || c.state === 'catching') c.sink.write(KEEP_ALIVE.text, KEEP_ALIVE.chunk);
      }, options.heartbeatMs),
    ];
  }

  get size(): number {
    return this.clients.size;
  }

  get headId(): number {
    return this.head;
  }

  /** The head once a read found the end of the log (not while paging through a backlog): a new stream without a resume point starts there, with no read of its own. */
  get latest(): number | undefined {
    return this.caughtUp ? this.head : undefined;
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
        const page = await this.repos.events.after(this.head, this.filter, this.options.pageSize, this.local);
        full = page.length === this.options.pageSize;
        this.caughtUp = !full;
        const entries = page.map(entryOf);
        for (const entry of entries) {
          this.buffer.push(entry);
          this.head = entry.event.id;
        }
        for (const id of this.local.keys()) if (id <= this.head) this.local.delete(id);
        const excess = this.buffer.length - this.options.bufferSize;
        if (excess > 0) this.floor = this.buffer.splice(0, excess).at(-1)!.event.id;
        // A page as few writes per client: events that queued up while the process was busy cost one write, not one each.
        const batches = batchesOf(entries, entries.length, BATCH_BYTES);
        for (const client of this.clients) {
          if (client.state !== 'live') continue;
          for (const batch of batches) if (!this.send(client, batch)) break;
        }
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

  /** Writes what the client has not had yet of one batch, in one write; false when its socket filled up (it is then blocked). */
  private send(client: Client, batch: Batch): boolean {
    if (batch.lastId <= client.lastId) return true;
    const frame = batch.frameFor(client);
    client.lastId = batch.lastId;
    if (frame && !client.sink.write(frame.text, frame.chunk)) {
      this.block(client);
      return false;
    }
    return true;
  }

  /** Catch-up writes: batches small enough that a socket filling up stops them soon, large enough to cost few writes. */
  private sendAll(client: Client, entries: readonly Entry[]): boolean {
    for (const batch of batchesOf(entries, CATCH_UP_EVENTS, BATCH_BYTES)) if (!this.send(client, batch)) return false;
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
          if (!this.sendAll(client, this.buffer)) return;
          client.lastId = Math.max(client.lastId, this.head);
          client.state = 'live';
          return;
        }
        // Everything up to the head as it is now was committed before this read starts, so the read sees it.
        const headBefore = this.head;
        const page = await this.repos.events.after(client.lastId, this.filter, this.options.pageSize);
        if (client.state !== 'catching') return;
        if (!this.sendAll(client, page.map(entryOf))) return;
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
  subscribe(
    filter: EventFilter,
    from: number,
    sink: SseSink,
    visible: (event: KilnEvent) => boolean,
    onError: (err: unknown) => void,
    /** Streams with the same scope must see exactly the same events (same grants): they then share one filtered frame per batch. */
    scope?: string,
  ): () => void;
  /** The newest event id read for streams of this filter, if any stream watches it: where a new stream can start without a read. */
  latest(filter: EventFilter): number | undefined;
  /** Number of topics with clients (one log reader each). */
  readonly topics: number;
}

export function createEventHub(repos: Pick<Repositories, 'events'>, bus: EventBus, options: HubOptions): EventHub {
  const topics = new Map<string, Topic>();
  return {
    subscribe(filter, from, sink, visible, onError, scope) {
      const key = topicKey(filter);
      let topic = topics.get(key);
      const fresh = !topic;
      if (!topic) {
        const created = new Topic(repos, bus, filter, from, options, () => topics.get(key) === created && topics.delete(key));
        topic = created;
        topics.set(key, topic);
      }
      const ahead = from > topic.headId;
      const unsubscribe = topic.add({ sink, visible, scope, lastId: from, state: 'catching', onError });
      // The first read for a new topic (or a client ahead of it) happens now, not at the next poll. A
      // client at or behind the head joins from the buffer or its own read: 5,000 reconnecting after
      // a restart are not 5,000 reads of the log.
      if (fresh || ahead) void topic.pump();
      return unsubscribe;
    },
    latest(filter) {
      return topics.get(topicKey(filter))?.latest;
    },
    get topics() {
      return topics.size;
    },
  };
}
