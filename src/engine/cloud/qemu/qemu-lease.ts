import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../instance-process';

/**
 * Who runs an account's VMs: VMs are processes of one machine, so the lease is a file in the
 * account's state dir on that machine, held by `host:pid:nonce`. Two Kiln processes never both
 * boot, stop or adopt the same VMs; one whose holder died on this host takes it over.
 */
export function createVmLease(stateDir: string) {
  const file = join(stateDir, 'lease');
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const holder = (): string | undefined => {
    try {
      return readFileSync(file, 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const dead = (h: string) => {
    const [host, pid] = h.split(':');
    return host === hostname() && Number(pid) > 0 && !isAlive(Number(pid));
  };
  return {
    owner,
    /** Takes the lease; returns the live holder when another process has it. */
    acquire(): string | undefined {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const current = holder();
        if (current === owner) return undefined;
        if (current && !dead(current)) return current;
        if (current) rmSync(file, { force: true });
        // Written aside, then linked in: link fails when another process won the race meanwhile.
        const mine = `${file}.${owner.replaceAll(':', '-')}`;
        writeFileSync(mine, owner);
        try {
          linkSync(mine, file);
          return undefined;
        } catch {
          // someone else linked first: look again
        } finally {
          rmSync(mine, { force: true });
        }
      }
      return holder();
    },
    release(): void {
      if (holder() === owner) rmSync(file, { force: true });
    },
  };
}
