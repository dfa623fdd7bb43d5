import type { Me } from '../../shared/domain/user';
import { authGeneration } from '../../db/auth-changes';

/**
 * How long a principal read from the database is trusted without asking again. Writes made by this
 * process invalidate at once (db/auth-changes.ts), and writes made by another Kiln process on the
 * same PostgreSQL at the next request (the auth epoch, auth-epoch.ts); this is a backstop only (an
 * expiry computed in the database, a change no trigger sees), and two seconds keeps a busy token
 * to one lookup per two seconds per process.
 */
export const PRINCIPAL_TTL_MS = 2_000;
/** Bounds memory when many distinct credentials are used; clearing only costs lookups. */
const MAX_ENTRIES = 10_000;

export type Credential = { kind: 'token'; id: string } | { kind: 'session'; idHash: string };

export type Principal = {
  credential: Credential;
  /** Undefined when the credential is valid but its user may not act (disabled, service account, gone). */
  me: Me | undefined;
  /** ISO time after which the credential no longer works. */
  expiresAt?: string;
};

/** `expiresAtMs`: the expiry parsed once, not on each request of a session (every browser request has one). */
type Entry = Principal & { generation: number; epoch: number; loadedAt: number; expiresAtMs: number };

/** Deep-frozen: one cached principal is shared by every request of its user, and none may alter it. */
function freeze(me: Me): Me {
  for (const g of me.grants) Object.freeze(g);
  Object.freeze(me.grants);
  Object.freeze(me.user.roles);
  Object.freeze(me.user);
  return Object.freeze(me);
}

/**
 * Principals keyed by the hash of the secret that was presented (a token's or a session's), so an
 * entry can only be reached by presenting the same secret: the cache cannot hand one user's
 * principal to another. Unknown, revoked or expired secrets are never cached.
 */
export function createPrincipalCache(clock: () => number = Date.now) {
  const entries = new Map<string, Entry>();
  /** Lookups under way, shared by the requests that present the same secret meanwhile. */
  const loading = new Map<string, { generation: number; epoch: number; principal: Promise<Principal | undefined> }>();
  const usable = (principal: Principal | undefined, now: Date) =>
    principal && (principal.expiresAt === undefined || Date.parse(principal.expiresAt) > now.getTime()) ? principal : undefined;
  const cache = {
    /**
     * The cached principal, or undefined when absent, stale, or its credential has expired by `now`.
     * `epoch` is the database's auth epoch read for this request (auth-epoch.ts).
     */
    get(key: string, now: Date, epoch: number): Principal | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      // A clock set back makes the age negative: stale too, or an entry would outlive the TTL by the jump.
      const age = clock() - entry.loadedAt;
      const fresh = entry.generation === authGeneration() && entry.epoch === epoch && age >= 0 && age < PRINCIPAL_TTL_MS;
      const expired = entry.expiresAtMs <= now.getTime();
      if (fresh && !expired) return entry;
      entries.delete(key);
      return undefined;
    },
    /** `epoch` must have been read before the principal was, so a change committed in between makes the entry stale. */
    set(key: string, generation: number, epoch: number, principal: Principal): void {
      if (entries.size >= MAX_ENTRIES) entries.clear();
      const me = principal.me && freeze(principal.me);
      entries.set(key, { ...principal, me, generation, epoch, loadedAt: clock(), expiresAtMs: principal.expiresAt === undefined ? Infinity : Date.parse(principal.expiresAt) });
    },
    /**
     * The principal for `key`, from the cache or from `lookup` (undefined: unknown, revoked or
     * expired). Concurrent requests with the same secret share one lookup, so an expired entry under
     * load costs one lookup rather than one per request in flight; a request joins a lookup only when
     * no change (this process's generation, the database's epoch it read) happened since that lookup
     * began, so it never gets a principal read before a revocation that preceded it.
     */
    async load(key: string, now: Date, epoch: number, lookup: () => Promise<Principal | undefined>): Promise<Principal | undefined> {
      const cached = cache.get(key, now, epoch);
      if (cached) return cached;
      const generation = authGeneration();
      const under = loading.get(key);
      if (under && under.generation === generation && under.epoch === epoch) return usable(await under.principal, now);
      const principal = lookup().then((found) => {
        if (found) cache.set(key, generation, epoch, found);
        return found;
      });
      const mine = { generation, epoch, principal };
      loading.set(key, mine);
      const done = () => loading.get(key) === mine && loading.delete(key);
      principal.then(done, done);
      return usable(await principal, now);
    },
  };
  return cache;
}

export type PrincipalCache = ReturnType<typeof createPrincipalCache>;
