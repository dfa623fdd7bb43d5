/**
 * Failed sign-ins per client address and per user name in a sliding window: after `limit` failures
 * the next attempt is refused (429) until the oldest failure leaves the window. Per name too, so a
 * botnet rotating addresses still cannot guess one person's password quickly. In memory: a restart
 * forgives, which costs an attacker a restart they cannot cause.
 */
export function createLoginLimiter(options: { limit: number; windowMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();
  const recent = (key: string) => {
    const since = now() - options.windowMs;
    const list = (failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };
  return {
    /** Seconds to wait before trying again, or 0 when an attempt is allowed now. */
    retryAfter(keys: string[]): number {
      let wait = 0;
      for (const key of keys) {
        const list = recent(key);
        if (list.length >= options.limit) wait = Math.max(wait, Math.ceil((list[0]! + options.windowMs - now()) / 1000));
      }
      return wait;
    },
    fail(keys: string[]): void {
      for (const key of keys) failures.set(key, [...recent(key), now()]);
    },
    succeed(keys: string[]): void {
      for (const key of keys) failures.delete(key);
    },
  };
}
