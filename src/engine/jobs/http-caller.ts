export interface HttpRequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  timeoutSec: number;
}

export type HttpCallState =
  | { state: 'running' }
  | { state: 'done'; status: number; body: string }
  | { state: 'failed'; error: string };

export interface HttpCaller {
  /** Starts the request in the background; the engine's tick never waits on a slow server. */
  start(key: string, request: HttpRequestSpec): void;
  status(key: string): HttpCallState | undefined;
}

/** Answers are kept to this many characters: enough to read an error, small enough to store. */
const BODY_LIMIT = 64 * 1024;

export function createHttpCaller(onDone: (key: string) => void): HttpCaller {
  const calls = new Map<string, HttpCallState>();
  return {
    start(key, request) {
      calls.set(key, { state: 'running' });
      void fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined && request.method !== 'GET' ? { body: request.body } : {}),
        signal: AbortSignal.timeout(request.timeoutSec * 1000),
        redirect: 'manual',
      })
        .then(async (res) => calls.set(key, { state: 'done', status: res.status, body: (await res.text()).slice(0, BODY_LIMIT) }))
        .catch((err: unknown) => {
          const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${request.timeoutSec} s` : err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
          calls.set(key, { state: 'failed', error: `${request.method} ${request.url} failed: ${reason}` });
        })
        .finally(() => onDone(key));
    },
    status(key) {
      return calls.get(key);
    },
  };
}
