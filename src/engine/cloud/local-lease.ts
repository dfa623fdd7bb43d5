import { hostname } from 'node:os';
import type { Repositories } from '../../db/types';
import { isAlive } from './instance-process';

/** Lease owners are `host:pid:nonce`, so a process can tell that a holder on its own machine has died. */
export const leaseOwnerName = (nonce: string) => `${hostname()}:${process.pid}:${nonce}`;

function deadOnThisHost(holder: string | undefined): boolean {
  const [host, pid] = holder?.split(':') ?? [];
  return host === hostname() && Number(pid) > 0 && Number(pid) !== process.pid && !isAlive(Number(pid));
}

/**
 * Who runs the local cloud when several Kiln processes share one database: the holder of the
 * lease. The others stand by and try again every third of the lease, so when the holder dies one
 * of them takes over (and re-adopts the instances it left running).
 */
export function createLeadership(deps: {
  repos: Repositories;
  owner: string;
  leaseMs: number;
  onLead: () => Promise<void>;
  /** The lease was lost (this process stalled past it and another took over): stop managing, kill nothing. */
  onLose: () => Promise<void>;
  log: (line: string) => void;
}) {
  let leading = false;
  let standby: NodeJS.Timeout | undefined;
  let closed = false;

  const attempt = async () => {
    if (closed || leading) return;
    const { cloudProcesses } = deps.repos;
    if (!(await cloudProcesses.acquireLease(deps.owner, deps.leaseMs))) {
      // A Kiln restarted after a crash need not wait out its predecessor's lease.
      const holder = await cloudProcesses.leaseHolder();
      if (!deadOnThisHost(holder) || !(await cloudProcesses.acquireLease(deps.owner, deps.leaseMs, holder))) return;
      deps.log(`took over the local cloud from ${holder}, which is no longer running`);
    }
    if (standby) clearInterval(standby);
    standby = undefined;
    leading = true;
    await deps.onLead();
  };

  return {
    get leading() {
      return leading;
    },
    async start(): Promise<void> {
      await attempt();
      if (!leading) {
        deps.log('another Kiln process runs the local cloud; this one stands by to take over');
        standby = setInterval(() => void attempt().catch((err: unknown) => deps.log(`taking over the local cloud: ${String(err)}`)), Math.max(50, deps.leaseMs / 3));
      }
    },
    /** Called on every tick of the leader. */
    async renew(): Promise<void> {
      if (!leading || closed) return;
      if (await deps.repos.cloudProcesses.acquireLease(deps.owner, deps.leaseMs)) return;
      deps.log('lost the local-cloud lease to another Kiln process; it manages the instances now');
      leading = false;
      await deps.onLose();
      if (!closed) standby = setInterval(() => void attempt(), Math.max(50, deps.leaseMs / 3));
    },
    async close(): Promise<void> {
      closed = true;
      if (standby) clearInterval(standby);
      if (leading) await deps.repos.cloudProcesses.releaseLease(deps.owner);
      leading = false;
    },
  };
}
