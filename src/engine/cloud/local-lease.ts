import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Repositories } from '../../db/types';
import { isAlive } from './instance-process';

/** How often a process standing by looks whether the holder's lease ran out or its process died. */
const STANDBY_LOOK_MS = 250;

/**
 * How long after its last renewal a holder whose process is gone (its presence lock free, migration
 * 310) may be taken over (migration 325). Not at once: a presence lock is also freed when only the
 * connection holding it was cut (a network blip, a server-side kill, a pooler) while the process
 * runs on — taken over at once, it went on running the local cloud until its next renewal found the
 * lease gone: two processes launching and healing the same instances. Within this grace a live
 * holder has renewed again (which keeps it, cut connection or not), and one that could not has
 * stopped acting (`leading` lapses on its own clock): a dead process is taken over in about this
 * long, never a live one, and never two leaders at once.
 */
export const PRESENCE_GRACE_MS = 1000;

/** Lease owners are `host:pid:nonce`, so a process can tell that a holder on its own machine has died. */
export const leaseOwnerName = (nonce: string) => `${hostname()}:${process.pid}:${nonce}`;

function deadOnThisHost(holder: string | undefined): boolean {
  const [host, pid] = holder?.split(':') ?? [];
  return host === hostname() && Number(pid) > 0 && Number(pid) !== process.pid && !isAlive(Number(pid));
}

/**
 * Who runs the local cloud (or one container account) when several Kiln processes share one
 * database: the holder of the lease. The others stand by and look every quarter second, so when the
 * holder dies one of them takes over (and re-adopts the instances it left running): within
 * PRESENCE_GRACE_MS when the holder had joined presence, else when its lease runs out.
 *
 * The holder acts only while its last renewal holds on its own clock (`leading`): the grace when it
 * can be called gone, the lease otherwise (without bound on PGlite, where no other process can be). So a holder whose renewals stall or fail (a loaded
 * machine, a database out of reach) stops acting before anyone may take over, instead of running on
 * beside its successor until a renewal finally comes back.
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
  /** PRESENCE_GRACE_MS by default (tests make a stall outlast it). */
  graceMs?: number;
  onLead: () => Promise<void>;
  /** The lease was lost (this process stalled past it and another took over): stop managing, kill nothing. */
  onLose: () => Promise<void>;
  log: (line: string) => void;
}) {
  const lease = deps.lease ?? 'local';
  const owner = deps.owner ?? leaseOwnerName(randomUUID().slice(0, 8));
  const leaseMs = deps.leaseMs ?? 15_000;
  const graceMs = Math.min(deps.graceMs ?? PRESENCE_GRACE_MS, leaseMs);
  const what = deps.what ?? 'the local cloud';
  const standbyMs = Math.max(50, Math.min(STANDBY_LOOK_MS, leaseMs / 3));
  let leading = false;
  /** performance.now() until which the last renewal lets this process act. */
  let validUntil = 0;
  /** Whether the last renewal said this holder can be called gone: then it renews every quarter grace. */
  let present = false;
  let standby: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let renewing: Promise<void> | undefined;
  let closed = false;
  /** One attempt at a time: two at once both "won" (the second renews the first's row) and took up the work twice. */
  let attempting = false;
  const valid = () => leading && performance.now() < validUntil;

  const hold = async (takeFrom?: string): Promise<boolean> => {
    // Timed from before the statement: the database dates the grace from when it ran, later, so this
    // process's own bound always ends first.
    const sentAt = performance.now();
    const held = await deps.repos.cloudProcesses.holdLease(owner, { ttlMs: leaseMs, graceMs, takeFrom, lease });
    if (!held) return false;
    present = held.present;
    // Alone on its database (PGlite), no one can take over: no bound, and a renewal held up behind the
    // embedded database's work on this very thread must not make the leader refuse its own.
    validUntil = held.alone ? Number.POSITIVE_INFINITY : sentAt + (present ? graceMs : leaseMs);
    return true;
  };

  const stopLeading = () => {
    leading = false;
    clearTimeout(heartbeat);
    heartbeat = undefined;
  };

  const standBy = () => {
    standby = setInterval(() => void attempt().catch((err: unknown) => deps.log(`taking over ${what}: ${String(err)}`)), standbyMs);
  };

  const renewOnce = async () => {
    if (await hold()) return;
    if (!leading || closed) return;
    deps.log(`lost the lease on ${what} to another Kiln process; it manages the instances now`);
    stopLeading();
    await deps.onLose();
    if (!closed) standBy();
  };
  // One renewal at a time: an older one coming back last must not stretch the bound a newer one set.
  const renew = (): Promise<void> => {
    if (!leading || closed) return Promise.resolve();
    renewing ??= renewOnce().finally(() => (renewing = undefined));
    return renewing;
  };

  // Renewals on a clock of their own, often enough that a live holder never outlasts the grace.
  const beat = () => {
    clearTimeout(heartbeat);
    if (!leading || closed) return;
    heartbeat = setTimeout(
      () =>
        void renew()
          .catch((err: unknown) => deps.log(`renewing the lease on ${what}: ${String(err)}`))
          .finally(beat),
      present ? graceMs / 4 : leaseMs / 3,
    );
  };

  const attempt = async () => {
    if (closed || leading || attempting) return;
    attempting = true;
    try {
      await tryToLead();
    } finally {
      attempting = false;
    }
  };
  const tryToLead = async () => {
    // A read first: standing by, this runs every quarter second.
    const { holder, free } = await deps.repos.cloudProcesses.leaseState(lease);
    // A Kiln restarted after a crash need not wait out its predecessor's lease.
    const dead = !free && deadOnThisHost(holder);
    if (!free && !dead) return;
    if (closed || !(await hold(dead ? holder : undefined))) return;
    if (holder !== undefined && holder !== owner) deps.log(`took over ${what} from ${holder}: its lease ran out or its process is gone`);
    if (standby) clearInterval(standby);
    standby = undefined;
    leading = true;
    beat();
    try {
      await deps.onLead();
    } catch (err) {
      // Could not take up the work (an engine out of reach): give the lease back, so this or another process tries again.
      stopLeading();
      await deps.repos.cloudProcesses.releaseLease(owner, lease).catch(() => undefined);
      throw err;
    }
  };

  return {
    /** True while this process holds the lease and its last renewal still covers it: act only then. */
    get leading() {
      return valid();
    },
    async start(): Promise<void> {
      await attempt();
      if (!leading) {
        deps.log(`another Kiln process runs ${what}; this one stands by to take over`);
        standBy();
      }
    },
    /** Renews the lease now (also done on its own clock); a lost lease stops the managing. */
    renew,
    /**
     * The leader's supervision: `tick` every `ms` (health checks, healing), then the lease renewed.
     * No tick while the last renewal no longer covers this process. Stop with clearInterval.
     */
    tendEvery(ms: number, tick: () => Promise<unknown>, onError: (err: unknown) => void): NodeJS.Timeout {
      return setInterval(() => void (valid() ? tick() : Promise.resolve()).then(() => renew()).catch(onError), ms);
    },
    async close(): Promise<void> {
      closed = true;
      if (standby) clearInterval(standby);
      clearTimeout(heartbeat);
      await renewing?.catch(() => undefined);
      if (leading) await deps.repos.cloudProcesses.releaseLease(owner, lease);
      leading = false;
    },
  };
}
