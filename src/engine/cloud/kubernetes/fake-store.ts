import { randomUUID } from 'node:crypto';

/** A Kubernetes object as the fake keeps it: plain JSON, metadata always present. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generateName?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }>;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    generation?: number;
  };
  // biome-ignore lint/suspicious/noExplicitAny: spec and status differ per kind; the fake reads them loosely
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: see spec
  status?: any;
  [key: string]: unknown;
}

export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject };
type Listener = (resource: string, event: WatchEvent) => void;

/** Thrown by the store; the server turns it into a Kubernetes Status of the same code. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const clone = <T>(o: T): T => structuredClone(o);

/**
 * Objects by resource (`pods`, `replicasets.apps`…), namespace and name, with one resourceVersion
 * counter for all of them as etcd's revision: a write with a stale version is a 409, as on a real
 * API server, so the provider's read-modify-write has to cope with controllers writing meanwhile.
 */
export function createStore() {
  const objects = new Map<string, KubeObject>();
  const listeners = new Set<Listener>();
  let revision = 1;
  const key = (resource: string, ns: string, name: string) => `${resource}/${ns}/${name}`;
  const emit = (resource: string, event: WatchEvent) => {
    for (const l of listeners) l(resource, clone(event));
  };

  const store = {
    get revision() {
      return String(revision);
    },
    get(resource: string, ns: string, name: string): KubeObject | undefined {
      const o = objects.get(key(resource, ns, name));
      return o && clone(o);
    },
    list(resource: string, ns: string): KubeObject[] {
      const prefix = `${resource}/${ns}/`;
      return [...objects.entries()].filter(([k]) => k.startsWith(prefix)).map(([, o]) => clone(o));
    },
    create(resource: string, ns: string, body: KubeObject): KubeObject {
      const o = clone(body);
      if (!o.metadata.name && o.metadata.generateName) o.metadata.name = `${o.metadata.generateName}${randomUUID().replace(/-/g, '').slice(0, 5)}`;
      const k = key(resource, ns, o.metadata.name);
      if (objects.has(k)) throw new StatusError(409, 'AlreadyExists', `${resource} "${o.metadata.name}" already exists`);
      revision += 1;
      o.metadata = { ...o.metadata, namespace: ns, uid: randomUUID(), resourceVersion: String(revision), creationTimestamp: new Date().toISOString(), generation: 1 };
      objects.set(k, o);
      emit(resource, { type: 'ADDED', object: o });
      return clone(o);
    },
    /** Replaces the object; a resourceVersion in `next` must match the stored one (optimistic concurrency). */
    update(resource: string, ns: string, next: KubeObject): KubeObject {
      const k = key(resource, ns, next.metadata.name);
      const current = objects.get(k);
      if (!current) throw new StatusError(404, 'NotFound', `${resource} "${next.metadata.name}" not found`);
      if (next.metadata.resourceVersion && next.metadata.resourceVersion !== current.metadata.resourceVersion)
        throw new StatusError(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${resource} "${next.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        );
      revision += 1;
      const specChanged = JSON.stringify(next.spec) !== JSON.stringify(current.spec);
      const o = clone(next);
      o.metadata = {
        ...o.metadata,
        namespace: ns,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        resourceVersion: String(revision),
        generation: (current.metadata.generation ?? 1) + (specChanged ? 1 : 0),
      };
      objects.set(k, o);
      emit(resource, { type: 'MODIFIED', object: o });
      return clone(o);
    },
    remove(resource: string, ns: string, name: string): KubeObject {
      const k = key(resource, ns, name);
      const current = objects.get(k);
      if (!current) throw new StatusError(404, 'NotFound', `${resource} "${name}" not found`);
      objects.delete(k);
      revision += 1;
      emit(resource, { type: 'DELETED', object: { ...current, metadata: { ...current.metadata, resourceVersion: String(revision) } } });
      return clone(current);
    },
    watch(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return store;
}
export type FakeStore = ReturnType<typeof createStore>;

/** `a=b,c!=d,e` / `app in (x,y)` as kubectl writes them: the subset Kiln sends. */
export function matchesLabels(selector: string | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return true;
  return selector
    .split(/,(?![^(]*\))/)
    .map((s) => s.trim())
    .filter(Boolean)
    .every((term) => {
      const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
      if (set) {
        const values = set[3]!.split(',').map((v) => v.trim());
        const has = labels[set[1]!] !== undefined && values.includes(labels[set[1]!]!);
        return set[2] === 'in' ? has : !has;
      }
      const ne = /^([^!=]+)!=(.*)$/.exec(term);
      if (ne) return labels[ne[1]!] !== ne[2];
      const eq = /^([^!=]+)==?(.*)$/.exec(term);
      if (eq) return labels[eq[1]!] === eq[2];
      if (term.startsWith('!')) return labels[term.slice(1)] === undefined;
      return labels[term] !== undefined;
    });
}

/** `metadata.name=x,involvedObject.name=y`: equality on dotted paths. */
export function matchesFields(selector: string | undefined, object: KubeObject): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [path, value] = term.split('=');
    // biome-ignore lint/suspicious/noExplicitAny: walking arbitrary JSON
    const actual = path!.split('.').reduce<any>((o, p) => o?.[p], object);
    return String(actual ?? '') === value;
  });
}

/** A label selector object (matchLabels only, which is what ReplicaSets Kiln makes use) as a predicate. */
export const selects = (selector: { matchLabels?: Record<string, string> } | Record<string, string> | undefined, labels: Record<string, string> = {}) => {
  const wanted = ((selector && typeof selector.matchLabels === 'object' ? selector.matchLabels : selector) ?? {}) as Record<string, string>;
  return Object.keys(wanted).length > 0 && Object.entries(wanted).every(([k, v]) => labels[k] === v);
};
