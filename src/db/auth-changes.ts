/**
 * A process-wide count of writes that change who may do what (users, roles, grants, tokens,
 * sessions). The BFF caches principals per token/session; an entry filled before the latest change
 * is stale, so a revocation or a removed grant takes effect on this process at the next request.
 * Counted in the repositories rather than in routes so every writer (routes, sign-in, CLI code
 * sharing the process, tests) invalidates. Other processes on the same database are not told:
 * their caches expire after a short TTL (see server/auth/principal-cache.ts).
 */
let generation = 0;

export const authGeneration = (): number => generation;

export function authChanged(): void {
  generation += 1;
}
