import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Repositories } from '../../db/types';
import { isAlive } from './instance-process';

/** How often a process standing by looks whether the holder's lease ran out or its process died. */
const STANDBY_LOOK_MS = 250;

/** Lease owners are `host:pid:nonce`, so a process can tell that a holder on its own machine has died. */
export const leaseOwnerName = (nonce: string) => `${hostname()}:${process.pid}:${nonce}`;

function deadOnThisHost(holder: string | undefined): boolean {
  const [host, pid] = holder?.split(':') ?? [];
  return host === hostname() && Number(pid) > 0 && Number(pid) !== process.pid && !isAlive(Number(pid));
}

/**
 * Who runs the local cloud (or one container account) when several Kiln processes share one
 * database: the holder of the lease. The others stand by and try again every third of the lease,
 * so when the holder dies one of them takes over (and re-adopts the instances it left running).
 */
export function createLeadership(deps: {
  repos: Repositories;
  /** This process's name as a holder; a fresh `host:pid:nonce` by default. */
  owner?: string | undefined;
  /** How long the lease holds without a renewal; 15 s by default. */
  leaseMs?: number | undefined;
  /** Which lease: 'local' (the local cloud, the default) or 'docker:<account>'. */
  lease?: string;
  /** What is led, for the log: "the local cloud", "account 'lab'". */
  what?: string;
  onLead: () => Promise<void>;
  /** The lease was lost (this process stalled past it and another took over): stop managing, kill nothing. */
  onLose: () => Promise<void>;
  log: (line: string) => void;
}) {
  const lease = deps.lease ?? 'local';
  const owner = deps.owner ?? leaseOwnerName(randomUUID().slice(0, 8));
  const leaseMs = deps.leaseMs ?? 15_000;
  const what = deps.what ?? 'the local cloud';
  let leading = false;
  let standby: NodeJS.Timeout | undefined;
  let closed = false;

  const attempt = async () => {
    if (closed || leading) return;
    const { cloudProcesses } = deps.repos;
    // A read first: standing by, this runs every quarter second.
    const { holder, free } = await cloudProcesses.leaseState(lease);
    // A Kiln restarted after a crash need not wait out its predecessor's lease.
    const dead = !free && deadOnThisHost(holder);
    if (!free && !dead) return;
    if (!(await cloudProcesses.acquireLease(owner, leaseMs, dead ? holder : undefined, lease))) return;
    if (holder !== undefined && holder !== owner) deps.log(`took over ${what} from ${holder}: its lease ran out or its process is gone`);
    if (standby) clearInterval(standby);
    standby = undefined;
    leading = true;
    try {
      await deps.onLead();
    } catch (err) {
      // Could not take up the work (an engine out of reach): give the lease back, so this or another process tries again.
      leading = false;
      await cloudProcesses.releaseLease(owner, lease).catch(() => undefined);
      throw err;
    }
  };
  // A holder that died is seen by its presence lock (migration 310) at the next look, not when its
  // lease runs out: standing by looks often, with a read.
  const standbyMs = Math.max(50, Math.min(STANDBY_LOOK_MS, leaseMs / 3));

  return {
    get leading() {
      return leading;
    },
    async start(): Promise<void> {
      await attempt();
      if (!leading) {
        deps.log(`another Kiln process runs ${what}; this one stands by to take over`);
        standby = setInterval(() => void attempt().catch((err: unknown) => deps.log(`taking over ${what}: ${String(err)}`)), standbyMs);
      }
    },
    /** Called on every tick of the leader. */
    async renew(): Promise<void> {
      if (!leading || closed) return;
      if (await deps.repos.cloudProcesses.acquireLease(owner, leaseMs, undefined, lease)) return;
      deps.log(`lost the lease on ${what} to another Kiln process; it manages the instances now`);
      leading = false;
      await deps.onLose();
      if (!closed) standby = setInterval(() => void attempt().catch((err: unknown) => deps.log(`taking over ${what}: ${String(err)}`)), standbyMs);
    },
    /**
     * The leader's supervision: `tick` every `ms` (health checks, healing), then the lease renewed —
     * so a process too stalled to tend its instances also stops holding them. Stop with clearInterval.
     */
    tendEvery(ms: number, tick: () => Promise<unknown>, onError: (err: unknown) => void): NodeJS.Timeout {
      return setInterval(
        () =>
          void tick()
            .then(() => this.renew())
            .catch(onError),
        ms,
      );
    },
    async close(): Promise<void> {
      closed = true;
      if (standby) clearInterval(standby);
      if (leading) await deps.repos.cloudProcesses.releaseLease(owner, lease);
      leading = false;
    },
  };
}
