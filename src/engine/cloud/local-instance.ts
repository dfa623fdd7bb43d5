import type { ChildProcess } from 'node:child_process';
import type { HealthState, Instance } from '../../shared/domain/instance';
import type { ServerGroup } from '../../shared/domain/server-group';

/** What any provider tracks of an instance to judge its health (the container provider shares it). */
export interface InstanceState {
  id: string;
  /** The loopback port the balancers send to. */
  port: number;
  launchedAt: string;
  startedMs: number;
  /** When it reported ready to the metadata service (adopted instances had before). */
  readyMs?: number | undefined;
  /** Result of the last health check; undefined before the first one. */
  lastCheckOk?: boolean | undefined;
  failures: number;
  detail: string;
  /** The process is gone (exited or killed); listed as down until its replacement is up. */
  gone: boolean;
  goneMs?: number | undefined;
  /** Being stopped on purpose (scale-down, replacement); no longer counted or routed to. */
  retiring: boolean;
  /** Restarting in place: still counted, not routed to, not judged by health checks until it is back. */
  rebooting?: boolean | undefined;
}

/** One instance as the local cloud tracks it; the database row is derived from this. */
export interface LiveInstance extends InstanceState {
  pid: number;
  /** Absent for an instance adopted from an earlier Kiln process (not our child). */
  child?: ChildProcess | undefined;
  workDir: string;
  /** Why the cloud is stopping it, so its exit is reported as that rather than as an exit code. */
  stopReason?: string | undefined;
}

export function healthOf(i: InstanceState, disabled: boolean): HealthState {
  if (i.gone || i.lastCheckOk === false) return 'down';
  if (i.retiring) return 'out_of_service';
  if (i.readyMs === undefined) return 'starting';
  if (i.lastCheckOk === undefined) return 'unknown';
  return disabled ? 'out_of_service' : 'up';
}

/** Receives traffic: ready, last check passed, not on its way out. */
export const routable = (i: InstanceState) => !i.gone && !i.retiring && i.readyMs !== undefined && i.lastCheckOk === true;

/** Counts toward desired capacity: running and not being stopped. */
export const counted = (i: InstanceState) => !i.gone && !i.retiring;

export function toInstance(i: InstanceState, sg: ServerGroup): Instance {
  return {
    id: i.id as Instance['id'],
    serverGroup: sg.name,
    account: sg.account,
    region: sg.region,
    zone: `${sg.region}-a`,
    health: healthOf(i, sg.disabled),
    healthDetail: i.detail,
    address: `127.0.0.1:${i.port}`,
    launchedAt: i.launchedAt,
  };
}
