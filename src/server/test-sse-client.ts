/** One parsed Server-Sent Events block: an event (id/event/data) or a comment line such as a keep-alive. */
export interface SseMessage {
  id?: number;
  event?: string;
  data?: string;
  comment?: string;
}

export interface SseConnection {
  status: number;
  contentType: string | null;
  /** The JSON body of a non-200 answer. */
  error: unknown;
  messages: SseMessage[];
  /** Resolves once `done(messages)` holds; rejects after timeoutMs, naming what it waited for. */
  waitFor(done: (messages: SseMessage[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Disconnects; messages that arrive afterwards are not recorded. */
  close(): void;
}

function parseBlock(block: string): SseMessage {
  const message: SseMessage = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) message.comment = line.slice(1).trim();
    else if (line.startsWith('id: ')) message.id = Number(line.slice(4));
    else if (line.startsWith('event: ')) message.event = line.slice(7);
    else if (line.startsWith('data: ')) message.data = line.slice(6);
  }
  return message;
}

/** A minimal SSE reader over node's fetch, for tests against a real listening server. */
export async function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  let closed = false;
  let endedFlag = false;

  const ended = (async () => {
    if (!res.ok || !res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || closed) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          messages.push(parseBlock(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // An aborted or reset connection simply ends the stream; tests assert on what arrived.
    } finally {
      endedFlag = true;
      for (const wake of waiters) wake();
    }
  })();

  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    error: res.ok ? undefined : await res.json(),
    messages,
    ended,
    close() {
      closed = true;
      controller.abort();
    },
    waitFor(done, what, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (done(messages)) finish(resolve);
          else if (endedFlag) finish(() => reject(new Error(`stream ended before ${what} (${messages.length} messages)`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`timed out waiting for ${what} (${messages.length} messages)`))), timeoutMs);
        const finish = (then: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          then();
        };
        waiters.add(check);
        check();
      });
    },
  };
}
