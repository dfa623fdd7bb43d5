import type { Session } from '../../db/types';

/**
 * The database's auth epoch (migration 195), as one request may trust it. On PostgreSQL several Kiln
 * processes share the database: a token revoked through another process is only seen here by
 * reading the epoch, and only a read that *started after the request arrived* is certain to see a
 * revocation that was answered before the request was sent. So every request waits for such a
 * read, but concurrent requests share it: one query per round trip however many requests are in
 * flight, instead of the three (plus a write) each request used to make. A failed read fails the
 * request (closed, not open). PGlite is one process's private database: the in-process generation
 * (db/auth-changes.ts) already sees every change, so no query is made.
 */
export function createAuthEpoch(db: Session): () => number | Promise<number> {
  if (db.driver !== 'postgres') return () => 0;
  type Waiters = { promise: Promise<number>; resolve: (n: number) => void; reject: (err: unknown) => void };
  let waiting: Waiters | undefined;
  let reading = false;

  const read = async (): Promise<number> => {
    const { rows } = await db.query<{ epoch: number | bigint }>('select epoch from auth_epoch');
    return Number(rows[0]?.epoch ?? 0);
  };
  const pump = async () => {
    reading = true;
    // Whoever joined while a read was under way gets the next read, which starts after they joined.
    while (waiting) {
      const batch = waiting;
      waiting = undefined;
      try {
        batch.resolve(await read());
      } catch (err) {
        batch.reject(err);
      }
    }
    reading = false;
  };
  return () => {
    if (!waiting) {
      let resolve!: (n: number) => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<number>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      waiting = { promise, resolve, reject };
    }
    const { promise } = waiting;
    if (!reading) void pump();
    return promise;
  };
}
