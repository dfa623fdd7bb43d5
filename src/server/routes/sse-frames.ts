import type { KilnEvent } from '../../shared/api/events';

/** What one write puts on a stream: the SSE text, and the same bytes as one or more HTTP/1.1 chunks. */
export interface Frame {
  text: string;
  chunk: Buffer;
}

/** One event, formatted and encoded once however many streams it goes to. */
export interface Entry extends Frame {
  event: KilnEvent;
}

export const formatEvent = (event: KilnEvent): string => `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

const CRLF = Buffer.from('\r\n');
/** A message as one chunk of a chunked HTTP/1.1 body: its length in hex, CRLF, the bytes, CRLF. */
export function httpChunk(text: string): Buffer {
  const body = Buffer.from(text);
  return Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, CRLF]);
}

export const entryOf = (event: KilnEvent): Entry => {
  const text = formatEvent(event);
  return { event, text, chunk: httpChunk(text) };
};

const KEEP_ALIVE_TEXT = ': keep-alive\n\n';
export const KEEP_ALIVE: Frame = { text: KEEP_ALIVE_TEXT, chunk: httpChunk(KEEP_ALIVE_TEXT) };

/** Several events as one write: HTTP chunks may follow one another in one TCP write, so the chunks are joined as they are. */
function join(entries: readonly Entry[]): Frame | undefined {
  if (entries.length <= 1) return entries[0];
  return { text: entries.map((e) => e.text).join(''), chunk: Buffer.concat(entries.map((e) => e.chunk)) };
}

/** Who a frame is for: what it has had, what it may see, and a key shared by every stream that may see the same. */
export interface Reader {
  lastId: number;
  visible: (event: KilnEvent) => boolean;
  /** Streams with the same scope may see the same events (the same grants); undefined = filtered on its own. */
  scope: string | undefined;
}

/**
 * The events read in one go, written to each stream as one write rather than one per event: at 5,000
 * streams the write syscall per stream dominates a broadcast, and when events queue up (a busy
 * process, a flood of log lines) a batch carries them all for the cost of one. The joined frame is
 * built once per scope (the same grants see the same events), not once per stream.
 */
export class Batch {
  private all: Frame | undefined;
  private readonly byScope = new Map<string, Frame | null>();
  readonly lastId: number;

  constructor(private readonly entries: readonly Entry[]) {
    this.lastId = entries.at(-1)?.event.id ?? 0;
  }

  /** What this reader has not had and may see, as one frame; null when nothing (its position still moves past them). */
  frameFor(reader: Reader): Frame | null {
    const first = this.entries[0];
    if (!first) return null;
    // A reader ahead of part of the batch (it resumed past the topic's head): its own frame, rarely needed.
    if (first.event.id <= reader.lastId)
      return this.filtered(
        this.entries.filter((e) => e.event.id > reader.lastId),
        reader,
      );
    if (reader.scope === undefined) return this.filtered(this.entries, reader);
    let frame = this.byScope.get(reader.scope);
    if (frame === undefined) {
      frame = this.filtered(this.entries, reader);
      this.byScope.set(reader.scope, frame);
    }
    return frame;
  }

  private filtered(entries: readonly Entry[], reader: Reader): Frame | null {
    const seen = entries.filter((e) => reader.visible(e.event));
    if (seen.length === this.entries.length) return (this.all ??= join(this.entries)!);
    return join(seen) ?? null;
  }
}

/**
 * Splits entries into batches of at most `events` events and about `bytes` bytes (a single larger
 * event is a batch of its own): a stream is written a bounded amount before its socket can say it
 * is full, and a slow reader is not handed megabytes in one write.
 */
export function batchesOf(entries: readonly Entry[], events: number, bytes: number): Batch[] {
  const out: Batch[] = [];
  let start = 0;
  let size = 0;
  for (let i = 0; i < entries.length; i += 1) {
    const n = entries[i]!.chunk.length;
    if (i > start && (i - start >= events || size + n > bytes)) {
      out.push(new Batch(entries.slice(start, i)));
      start = i;
      size = 0;
    }
    size += n;
  }
  if (start < entries.length) out.push(new Batch(start === 0 ? entries : entries.slice(start)));
  return out;
}
