import { guardedRequest, OutboundRefusedError, type Resolver } from '../net/guarded-request';
import { defaultOutboundPolicy, type OutboundPolicy } from '../net/outbound-policy';

export interface HttpRequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
  timeoutSec: number;
  /** Starts refusal messages ("webhook URL" unless told). */
  what?: string;
}

export type HttpCallState =
  | { state: 'running' }
  | { state: 'done'; status: number; body: string; truncated: boolean; headers: Record<string, string | string[] | undefined> }
  | { state: 'failed'; error: string };

export interface HttpCaller {
  /** Starts the request in the background; the engine's tick never waits on a slow server. */
  start(key: string, request: HttpRequestSpec): void;
  status(key: string): HttpCallState | undefined;
}

/** Answers are kept to this many bytes: enough to read an error, small enough to store with the stage. */
export const WEBHOOK_BODY_LIMIT = 64 * 1024;

/** Calls go through the outbound policy: private addresses and Kiln's own port are refused unless allowed. */
export function createHttpCaller(onDone: (key: string) => void, policy: OutboundPolicy = defaultOutboundPolicy(), resolver?: Resolver): HttpCaller {
  const calls = new Map<string, HttpCallState>();
  return {
    start(key, request) {
      calls.set(key, { state: 'running' });
      const spec = { ...request, timeoutMs: request.timeoutSec * 1000, maxBodyBytes: WEBHOOK_BODY_LIMIT, what: request.what ?? 'webhook URL' };
      void guardedRequest(policy, spec, resolver)
        .then((res) => calls.set(key, { state: 'done', ...res }))
        .catch((err: unknown) => {
          if (err instanceof OutboundRefusedError) return calls.set(key, { state: 'failed', error: err.message });
          const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
          calls.set(key, { state: 'failed', error: `${request.method} ${request.url} failed: ${reason}` });
        })
        .finally(() => onDone(key));
    },
    status(key) {
      return calls.get(key);
    },
  };
}
