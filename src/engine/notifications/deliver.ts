import type { Repositories } from '../../db/types';

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
export async function deliverDue(deps: { repos: Repositories; now: () => Date; fetch?: typeof fetch }): Promise<number> {
  const send = deps.fetch ?? fetch;
  const due = await deps.repos.notifications.claimDue(deps.now(), TIMEOUT_MS * 2, 20);
  await Promise.all(
    due.map(async (n) => {
      const attempts = n.attempts + 1;
      let error: string | undefined;
      try {
        const res = await send(n.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-kiln-event': n.event, 'x-kiln-delivery': String(n.id), 'user-agent': 'Kiln' },
          body: JSON.stringify(n.payload),
          signal: AbortSignal.timeout(TIMEOUT_MS),
          redirect: 'manual',
        });
        await res.body?.cancel();
        if (res.status < 200 || res.status > 299) error = `the receiver answered HTTP ${res.status}`;
      } catch (err) {
        error = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
      }
      if (!error) return deps.repos.notifications.delivered(n.id, deps.now(), attempts);
      const retryAt = attempts >= MAX_ATTEMPTS ? null : new Date(deps.now().getTime() + retryDelayMs(attempts));
      return deps.repos.notifications.attemptFailed(n.id, error, attempts, retryAt, deps.now());
    }),
  );
  return due.length;
}
