/**
 * Reads a Spinnaker JSON object while remembering which keys were read, so whatever the importer
 * did not carry over can be listed with its JSON path — nothing is dropped silently.
 */
export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Empty values say nothing, so leaving them out loses nothing: Deck writes many of them. */
function meaningful(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.values(v).some(meaningful);
  return true;
}

/** Keys Deck keeps for its own bookkeeping; they mean nothing to a pipeline. */
const BOOKKEEPING = new Set(['isNew', '$$hashKey', 'index', 'lastModifiedBy', 'updateTs', 'createTs', 'id', 'schema', 'spelEvaluator']);

export class Fields {
  private readonly read = new Set<string>();
  private readonly children: Fields[] = [];

  constructor(
    readonly raw: Json,
    readonly path: string,
  ) {}

  get(key: string): unknown {
    this.read.add(key);
    return this.raw[key];
  }

  isRead(key: string): boolean {
    return this.read.has(key);
  }

  /** Marks keys as carried over (or deliberately told about elsewhere). */
  take(...keys: string[]): void {
    for (const k of keys) this.read.add(k);
  }

  str(key: string): string | undefined {
    const v = this.get(key);
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  }

  num(key: string): number | undefined {
    const v = this.get(key);
    return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined;
  }

  bool(key: string): boolean | undefined {
    const v = this.get(key);
    return typeof v === 'boolean' ? v : undefined;
  }

  list(key: string): unknown[] {
    const v = this.get(key);
    return Array.isArray(v) ? v : [];
  }

  strings(key: string): string[] {
    return this.list(key).flatMap((v) => (typeof v === 'string' || typeof v === 'number' ? [String(v)] : []));
  }

  /** A nested object, itself tracked: its unread keys are reported under its own path. */
  sub(key: string): Fields {
    this.read.add(key);
    const v = this.raw[key];
    const child = new Fields(isObject(v) ? v : {}, `${this.path}.${key}`);
    if (isObject(v)) this.children.push(child);
    return child;
  }

  /** The objects of a list, each tracked under `path.key[i]`. */
  subs(key: string): Fields[] {
    return this.list(key).flatMap((v, i) => {
      if (!isObject(v)) return [];
      const child = new Fields(v, `${this.path}.${key}[${i}]`);
      this.children.push(child);
      return [child];
    });
  }

  /** The paths of meaningful values nobody read, deepest first within each object. */
  leftovers(): string[] {
    const own = Object.entries(this.raw)
      .filter(([k, v]) => !this.read.has(k) && !BOOKKEEPING.has(k) && meaningful(v))
      .map(([k]) => `${this.path}.${k}`);
    return [...own, ...this.children.flatMap((c) => c.leftovers())];
  }
}
