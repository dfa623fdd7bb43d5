import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { EngineError } from '../errors';

/** Loopback ports handed to instances: a fixed range so they never collide with ephemeral client ports. */
export interface PortRange {
  from: number;
  to: number;
}

export const DEFAULT_INSTANCE_PORTS: PortRange = { from: 21000, to: 22999 };

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Hands out ports from the range: skips ports it already gave out (until released) and ports
 * something else on this machine holds. Throws a clear conflict when the range is used up.
 */
export function createPortAllocator(range: PortRange) {
  const taken = new Set<number>();
  const size = range.to - range.from + 1;
  // Each process starts at its own place in the range: two Kiln processes (or test workers) on one
  // machine starting at the same port would both find it free and race to bind it.
  let cursor = range.from + randomInt(size);

  return {
    /** Marks a port as in use (an adopted instance keeps its port). */
    claim(port: number) {
      taken.add(port);
    },
    release(port: number) {
      taken.delete(port);
    },
    /** How many ports of the range are not handed out (some may still be held by other programs). */
    unassigned(): number {
      return size - [...taken].filter((p) => p >= range.from && p <= range.to).length;
    },
    async allocate(): Promise<number> {
      for (let n = 0; n < size; n += 1) {
        const port = cursor;
        cursor = cursor >= range.to ? range.from : cursor + 1;
        if (taken.has(port)) continue;
        taken.add(port);
        if (await bindable(port)) return port;
        taken.delete(port);
      }
      throw new EngineError('conflict', `port exhaustion: every port in 127.0.0.1:${range.from}-${range.to} is in use, so no new instance can start`, 'capacity');
    },
  };
}
export type PortAllocator = ReturnType<typeof createPortAllocator>;
