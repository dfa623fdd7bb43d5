import type { Repositories } from '../../db/types';
import type { Credential } from './principal-cache';

/** A token's "last used" and a session's "last seen" are shown to the minute; writing them more often buys nothing. */
export const LAST_USED_EVERY_MS = 60_000;
const MAX_TRACKED = 10_000;

/**
 * Records credential use off the request path, at most once a minute per credential and process:
 * a request never waits for (or contends on) that row, and a token shared by many clients costs
 * one write a minute instead of one per request. Failures are logged, never thrown at a request.
 */
export function createLastUsedRecorder(repos: Repositories, onError: (err: unknown) => void) {
  const written = new Map<string, number>();
  const pending = new Set<Promise<void>>();
  return {
    used(credential: Credential, at: Date): void {
      const key = credential.kind === 'token' ? `t:${credential.id}` : `s:${credential.idHash}`;
      const last = written.get(key);
      if (last !== undefined && at.getTime() - last < LAST_USED_EVERY_MS) return;
      if (written.size >= MAX_TRACKED) written.clear();
      written.set(key, at.getTime());
      const write = (credential.kind === 'token' ? repos.credentials.touchToken(credential.id, at) : repos.credentials.touchSession(credential.idHash, at))
        .catch(onError)
        .finally(() => pending.delete(write));
      pending.add(write);
    },
    /** Waits for writes under way, so closing the database does not cut one off. */
    async flush(): Promise<void> {
      await Promise.all(pending);
    },
  };
}
