import type { FastifyRequest } from 'fastify';
import type { Me } from '../../shared/domain/user';

/** An open event stream as the sweep sees it: who asked, what it was allowed to read, how to end it. */
export interface WatchedStream {
  request: FastifyRequest;
  /** The read scope the stream was opened with (events.ts readScope). */
  scope: string;
  end: () => void;
}

/** Credentials checked together before the sweep lets the event loop run (a broadcast, a request). */
const SLICE = 100;

/**
 * Streams presenting the same Authorization and Cookie headers are the same principal to `meNow`:
 * one check answers for all of them. Headers that differ only in an unrelated cookie are checked
 * apart, which costs a check, never a wrong answer.
 */
const credentialOf = (request: FastifyRequest) => `${request.headers.authorization ?? ''}\n${request.headers.cookie ?? ''}`;

/**
 * Ends every stream whose reader may no longer read what it was opened for (token revoked, user
 * disabled, grants changed). One check per credential, not per stream: 5,000 dashboards on one
 * token were 5,000 checks every 2 s, a pause of the event loop that delayed the broadcast under way.
 * Many distinct credentials are checked a slice at a time, yielding between slices for the same reason.
 */
export async function sweepRights(
  streams: Iterable<WatchedStream>,
  meNow: (request: FastifyRequest) => Promise<Me | undefined>,
  scopeOf: (me: Me | undefined) => string,
): Promise<void> {
  const byCredential = new Map<string, WatchedStream[]>();
  for (const stream of streams) {
    const key = credentialOf(stream.request);
    const group = byCredential.get(key);
    if (group) group.push(stream);
    else byCredential.set(key, [stream]);
  }
  const groups = [...byCredential.values()];
  for (let i = 0; i < groups.length; i += SLICE) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(
      groups.slice(i, i + SLICE).map(async (group) => {
        const scope = scopeOf(await meNow(group[0]!.request).catch(() => undefined));
        for (const stream of group) if (stream.scope !== scope) stream.end();
      }),
    );
  }
}
