import { EngineError } from '../errors';

/** The lease a process must hold to act on the local cloud (see local-lease.ts). */
export const LOCAL_CLOUD_LEASE = 'local-cloud';

/**
 * Thrown by the local cloud in a process that does not run it. For a person's request it is a 409;
 * for a pipeline stage it is no failure: the engine leaves the execution to the process that runs
 * the local cloud (or to whichever takes that over when it dies).
 */
export class StandingBy extends EngineError {
  constructor(
    readonly lease: string = LOCAL_CLOUD_LEASE,
    what = 'The local cloud',
  ) {
    super('conflict', `${what} is run by another Kiln process sharing this database; this one stands by. Send the request to that process, or stop it.`);
  }
}
