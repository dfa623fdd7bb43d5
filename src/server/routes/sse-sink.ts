import type { EventFilter, KilnEvent } from '../../shared/api/events';
import type { Reader } from './sse-frames';

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

export interface Client extends Reader {
  sink: SseSink;
  /** The last event id this client has been given (or skipped as invisible). */
  lastId: number;
  state: 'live' | 'catching' | 'blocked' | 'closed';
  onError: (err: unknown) => void;
  slowTimer?: NodeJS.Timeout;
  drain?: () => void;
  /** When this client was last written anything (Topic's clock): a heartbeat goes only to quiet ones. */
  wroteAt: number;
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
