import type { EventFilter, KilnEvent } from '../../shared/api/events';
import type { Repositories } from '../../db/types';
import type { EventBus } from '../../engine/index';
import { batchesOf, type Batch, entryOf, type Frame, KEEP_ALIVE, type Entry } from './sse-frames';
import type { Client, EventHub, HubOptions } from './sse-sink';

/** Events per write while one stream catches up. */
const CATCH_UP_EVENTS = 32;
/** Bytes per write, about: more events than this (a flood of log lines) go in several writes. */
const BATCH_BYTES = 256 * 1024;

/**
 * Streams written before the fan-out lets the event loop run. At 5,000 streams a fan-out is ~50 ms
 * of write syscalls: events published meanwhile are then read together by the next pass and reach
 * each stream in one write, instead of queueing behind the loop one fan-out each. (Handing them to
 * the streams the pass had not reached yet, mid-pass, cost more writes and was slower when measured.)
 */
const FANOUT_SLICE = 500;

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
  /** Now, read once per pass rather than once per stream written: when a write counts as recent for the heartbeat. */
  private clock = Date.now();
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
    this.unsubscribe = () => (here(), elsewhere?.());
    this.timers = [
      setInterval(() => void this.pump(), options.pollMs),
      // Every half interval, a keep-alive to the streams written nothing for half an interval: none
      // stays silent longer than heartbeatMs, and streams an event just reached (all of them, on a
      // busy topic) are not written 5,000 keep-alives in a burst that delays the next broadcast.
      setInterval(() => {
        this.clock = Date.now();
        const quiet = this.clock - options.heartbeatMs / 2;
        for (const c of this.clients) if ((c.state === 'live' || c.state === 'catching') && c.wroteAt <= quiet) this.write(c, KEEP_ALIVE);
      }, options.heartbeatMs / 2),
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
        const read = await this.read();
        full = read.full;
        // A page as few writes per client: events that queued up while the process was busy cost one write, not one each.
        const batches = batchesOf(read.entries, read.entries.length, BATCH_BYTES);
        this.clock = Date.now();
        let written = 0;
        for (const client of this.clients) {
          if (client.state !== 'live') continue;
          for (const batch of batches) if (!this.send(client, batch)) break;
          // A client joining meanwhile starts at the head and one leaving is closed: send() skips both.
          if (++written % FANOUT_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
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

  /** The next page of the log after head, added to the buffer; full = there may be more. */
  private async read(): Promise<{ entries: Entry[]; full: boolean }> {
    const wanted = this.wanted;
    // Read before the page: everything below it is in the page (or an earlier one) if it matches.
    if (wanted !== undefined && wanted < (await this.repos.events.visibleBelow())) {
      if (this.wanted === wanted) {
        this.wanted = undefined;
        this.wantedSince = 0;
      }
    }
    const page = await this.repos.events.after(this.head, this.filter, this.options.pageSize, this.local);
    const full = page.length === this.options.pageSize;
    this.caughtUp = !full;
    const entries = page.map(entryOf);
    for (const entry of entries) {
      this.buffer.push(entry);
      this.head = entry.event.id;
    }
    for (const id of this.local.keys()) if (id <= this.head) this.local.delete(id);
    const excess = this.buffer.length - this.options.bufferSize;
    if (excess > 0) this.floor = this.buffer.splice(0, excess).at(-1)!.event.id;
    return { entries, full };
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
    if (frame && !this.write(client, frame)) {
      this.block(client);
      return false;
    }
    return true;
  }

  private write(client: Client, frame: Frame): boolean {
    client.wroteAt = this.clock;
    return client.sink.write(frame.text, frame.chunk);
  }

  /** Catch-up writes: batches small enough that a socket filling up stops them soon, large enough to cost few writes. */
  private sendAll(client: Client, entries: readonly Entry[]): boolean {
    this.clock = Date.now();
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
      const unsubscribe = topic.add({ sink, visible, scope, lastId: from, state: 'catching', onError, wroteAt: 0 });
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
