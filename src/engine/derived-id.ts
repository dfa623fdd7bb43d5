import { createHash } from 'node:crypto';

/**
 * A UUID derived from what caused a run (a parent stage and attempt, a cron minute, a webhook
 * delivery): whoever fires the same cause again — a retry after a crash, a second Kiln process, a
 * webhook sender retrying — computes the same id and finds the run already there.
 */
export function derivedId(cause: string): string {
  const h = createHash('sha256').update(cause).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
