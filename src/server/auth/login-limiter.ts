/**
 * Failed sign-ins per key in a sliding window: after `limit` failures the next attempt is refused
 * (429) until the oldest failure leaves the window. In memory: a restart forgives, which costs an
 * attacker a restart they cannot cause.
 */
export function createLoginLimiter(options: { limit: number; windowMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const failures = new Map<string, number[]>();
  let sinceSweep = 0;
  const recent = (key: string) => {
    const since = now() - options.windowMs;
    const list = (failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };
  // Keys an attacker sprayed once are never asked about again; sweep them so memory stays bounded.
  const sweep = () => {
    for (const key of failures.keys()) recent(key);
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
      if ((sinceSweep += 1) >= 1000) {
        sinceSweep = 0;
        sweep();
      }
    },
    succeed(keys: string[]): void {
      for (const key of keys) failures.delete(key);
    },
    /** Keys with failures still counted (for tests of the sweep). */
    size: () => failures.size,
  };
}

const WINDOW_MS = 15 * 60_000;
const KNOWN_FOR_MS = 30 * 24 * 3600_000;

/**
 * Sign-in throttling that keys on name + address, so one noisy address cannot lock other people
 * out. Three limits in the same 15-minute window:
 * - 5 failures for one name from one address: the plain password guesser.
 * - 20 failures for one name from all addresses together: a botnet rotating addresses against one
 *   person. Such a botnet could lock that person out, so an address the name signed in from
 *   successfully before (within 30 days) is exempt: the real user at their usual desk gets in.
 * - 100 failures from one address over all names: password spraying; again an address's own
 *   known names stay exempt, and 100 is far above what a shared office NAT produces by typos.
 */
export function createSignInThrottle(options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  const pair = createLoginLimiter({ limit: 5, windowMs: WINDOW_MS, now });
  const perName = createLoginLimiter({ limit: 20, windowMs: WINDOW_MS, now });
  const perAddress = createLoginLimiter({ limit: 100, windowMs: WINDOW_MS, now });
  const known = new Map<string, number>();
  const pairKey = (name: string, address: string) => `${name}\n${address}`;
  const isKnown = (name: string, address: string) => {
    const until = known.get(pairKey(name, address));
    if (until !== undefined && until <= now()) known.delete(pairKey(name, address));
    return until !== undefined && until > now();
  };
  return {
    /** Seconds to wait before `name` may try again from `address`, or 0 when it may now. */
    retryAfter(name: string, address: string): number {
      const own = pair.retryAfter([pairKey(name, address)]);
      if (isKnown(name, address)) return own;
      return Math.max(own, perName.retryAfter([name]), perAddress.retryAfter([address]));
    },
    fail(name: string, address: string): void {
      pair.fail([pairKey(name, address)]);
      perName.fail([name]);
      perAddress.fail([address]);
    },
    /** The address becomes one this name is known at; failures of others stay counted. */
    succeed(name: string, address: string): void {
      pair.succeed([pairKey(name, address)]);
      known.set(pairKey(name, address), now() + KNOWN_FOR_MS);
    },
  };
}
