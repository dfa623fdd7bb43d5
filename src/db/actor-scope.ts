import { AsyncLocalStorage } from 'node:async_hooks';

/** Who a change is made for: a person through the BFF, or a run (its execution, application and trigger's user). */
export interface Actor {
  user?: string | undefined;
  execution?: string | undefined;
  /** The execution's application: who may see which run it was (a run can act on another application's cluster). */
  application?: string | undefined;
}

// Ambient rather than a parameter: a server group's enabled state is saved deep inside each cloud
// provider (local, containers, VMs, Kubernetes), and threading an actor through every provider
// call would touch all of them for one column. The BFF route, the stage runner and the rollback
// runner each say once who acts; what the providers save within that call carries it.
const scope = new AsyncLocalStorage<Actor>();

export function withActor<T>(actor: Actor, run: () => Promise<T>): Promise<T> {
  return scope.run(actor, run);
}

/** Runs `run` as `actor` when one is given, else as whoever the caller acts for. */
export function asActor<T>(actor: Actor | undefined, run: () => Promise<T>): Promise<T> {
  return actor ? scope.run(actor, run) : run();
}

export function currentActor(): Actor | undefined {
  return scope.getStore();
}
