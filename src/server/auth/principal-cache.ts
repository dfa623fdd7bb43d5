import type { Me } from '../../shared/domain/user';
import { authGeneration } from '../../db/auth-changes';

/**
 * How long a principal read from the database is trusted without asking again. Writes made by this
 * process invalidate at once (db/auth-changes.ts); this bounds how long a change made by *another*
 * Kiln process on the same PostgreSQL (a revoked token, a removed grant, a disabled user) can go
 * unnoticed here. Users, roles and tokens are not in the event log, so there is nothing to listen
 * to; two seconds keeps a busy token to one lookup per two seconds per process.
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

type Entry = Principal & { generation: number; loadedAt: number };

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
  return {
    /** The cached principal, or undefined when absent, stale, or its credential has expired by `now`. */
    get(key: string, now: Date): Principal | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      // A clock set back makes the age negative: stale too, or an entry would outlive the TTL by the jump.
      const age = clock() - entry.loadedAt;
      const fresh = entry.generation === authGeneration() && age >= 0 && age < PRINCIPAL_TTL_MS;
      const expired = entry.expiresAt !== undefined && Date.parse(entry.expiresAt) <= now.getTime();
      if (fresh && !expired) return entry;
      entries.delete(key);
      return undefined;
    },
    /** Starts a load: the generation is taken before reading, so a change racing the read makes the result stale. */
    begin(): number {
      return authGeneration();
    },
    set(key: string, generation: number, principal: Principal): void {
      if (entries.size >= MAX_ENTRIES) entries.clear();
      const me = principal.me && freeze(principal.me);
      entries.set(key, { ...principal, me, generation, loadedAt: clock() });
    },
  };
}

export type PrincipalCache = ReturnType<typeof createPrincipalCache>;
