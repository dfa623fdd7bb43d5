import type { Repositories } from '../../db/types';
import { guardedRequest, OutboundRefusedError, type Resolver } from '../net/guarded-request';
import { defaultOutboundPolicy, type OutboundPolicy } from '../net/outbound-policy';

/** Attempts before a notification is given up (about 21 minutes of retrying in all). */
export const MAX_ATTEMPTS = 8;
const TIMEOUT_MS = 10_000;

/** 5 s, 10 s, 20 s … capped at 10 minutes: a receiver that is down for a deploy gets time to return. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5000 * 2 ** (attempt - 1), 10 * 60_000);
}

/**
 * Posts every due notification once (JSON, `X-Kiln-Event` and `X-Kiln-Delivery` headers so the
 * receiver can drop a repeat); a non-2xx answer or a network error is retried with backoff.
 * Returns how many were attempted.
 */
export async function deliverDue(deps: { repos: Repositories; now: () => Date; fetch?: typeof fetch; outbound?: OutboundPolicy; resolver?: Resolver }): Promise<number> {
  const policy = deps.outbound ?? defaultOutboundPolicy();
  // The receiver's answer is not used: a little of it is read so the connection can close cleanly.
  const send = deps.fetch
    ? async (url: string, init: { headers: Record<string, string>; body: string }) => {
        const res = await deps.fetch!(url, { method: 'POST', ...init, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
        await res.body?.cancel();
        return res.status;
      }
    : async (url: string, init: { headers: Record<string, string>; body: string }) =>
        (await guardedRequest(policy, { method: 'POST', url, ...init, timeoutMs: TIMEOUT_MS, maxBodyBytes: 1024, what: 'notification URL' }, deps.resolver)).status;
  const due = await deps.repos.notifications.claimDue(deps.now(), TIMEOUT_MS * 2, 20);
  await Promise.all(
    due.map(async (n) => {
      const attempts = n.attempts + 1;
      let error: string | undefined;
      let refused = false;
      try {
        const status = await send(n.url, {
          headers: { 'content-type': 'application/json', 'x-kiln-event': n.event, 'x-kiln-delivery': String(n.id), 'user-agent': 'Kiln' },
          body: JSON.stringify(n.payload),
        });
        if (status < 200 || status > 299) error = `the receiver answered HTTP ${status}`;
      } catch (err) {
        // A refused address stays refused until Kiln restarts with another KILN_OUTBOUND_ALLOW: retrying is noise.
        refused = err instanceof OutboundRefusedError;
        error = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
      }
      if (!error) return deps.repos.notifications.delivered(n.id, deps.now(), attempts);
      const retryAt = refused || attempts >= MAX_ATTEMPTS ? null : new Date(deps.now().getTime() + retryDelayMs(attempts));
      return deps.repos.notifications.attemptFailed(n.id, error, attempts, retryAt, deps.now());
    }),
  );
  return due.length;
}
