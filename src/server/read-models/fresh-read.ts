/**
 * A read shared by every caller waiting at the same time, yet never older than the call: each
 * caller gets the result of a read that *started after it called*, so a change committed before a
 * request arrived is always seen by it, while a hundred requests in flight cost one query per round
 * trip instead of a hundred. (A caller who joins while a read is under way waits for the next one.)
 * A failed read rejects every caller of that batch: callers fail closed.
 *
 * `start` decides when a batch's read begins. By default at once; `afterIo` waits until the event
 * loop has handled every request that arrived in this turn, so a read that answers within the
 * turn (PGlite runs in this thread) is still shared by all of them instead of by one socket's worth.
 */
export function freshRead<T>(read: () => Promise<T>, start: (begin: () => void) => void = (begin) => begin()): () => Promise<T> {
  type Batch = { promise: Promise<T>; resolve: (value: T) => void; reject: (err: unknown) => void };
  let waiting: Batch | undefined;
  let reading = false;

  const pump = async () => {
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
      let resolve!: (value: T) => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      waiting = { promise, resolve, reject };
    }
    const { promise } = waiting;
    if (!reading) {
      reading = true;
      start(() => void pump());
    }
    return promise;
  };
}

/** Starts a batch once the event loop has run this turn's I/O callbacks (see freshRead). */
export const afterIo = (begin: () => void): void => void setImmediate(begin);
