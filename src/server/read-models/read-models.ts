import type { Session } from '../../db/types';
import { freshRead } from './fresh-read';

/** Bounds memory: query strings are the caller's to choose, so the number of keys must not be. */
const MAX_ENTRIES = 256;
const MAX_VERSION_READERS = 1_024;

type Entry = { version: string; value: Promise<unknown> };

/**
 * Cached read models for the hot list routes (the applications list, an application's clusters),
 * checked against the versions migration 196 keeps: each request reads the current version with a
 * read that started after it arrived (shared by the requests in flight), and a cached answer built
 * at another version is rebuilt. So a change is visible at the next request after its commit, from
 * whichever Kiln process made it, and many requests cost one small query instead of the full one.
 * Answers are cached before per-caller filtering: routes filter every answer for their caller.
 * Cached values are shared by every request: callers must not mutate them.
 */
export function createReadModels(db: Session) {
  const entries = new Map<string, Entry>();
  const allVersions = unlessUnchanged(db, async () => {
    const { rows } = await db.query<{ v: string }>('select coalesce(sum(version), 0)::text as v from read_model_versions');
    return rows[0]?.v ?? '0';
  });
  const readers = new Map<string, () => Promise<string | undefined>>();
  const applicationVersion = (application: string) => {
    let reader = readers.get(application);
    if (!reader) {
      if (readers.size >= MAX_VERSION_READERS) readers.clear();
      reader = unlessUnchanged(db, async () => {
        const { rows } = await db.query<{ v: string }>('select version::text as v from read_model_versions where application = $1', [application]);
        return rows[0]?.v;
      });
      readers.set(application, reader);
    }
    return reader();
  };

  const cached = <T>(key: string, version: string, load: () => Promise<T>): Promise<T> => {
    const entry = entries.get(key);
    if (entry && entry.version === version) return entry.value as Promise<T>;
    const value = load();
    // Concurrent misses share one load; a failed load is not kept.
    value.catch(() => entries.get(key)?.value === value && entries.delete(key));
    if (entries.size >= MAX_ENTRIES && !entries.has(key)) entries.delete(entries.keys().next().value!);
    entries.set(key, { version, value });
    return value;
  };

  return {
    /** The whole applications list (any filter) depends on every application's version. */
    async applications<T>(key: string, load: () => Promise<T>): Promise<T> {
      return cached(`applications:${key}`, await allVersions(), load);
    },
    /** One application's view; an application with no version row does not exist, and is never cached. */
    async ofApplication<T>(application: string, key: string, load: () => Promise<T>): Promise<T> {
      const version = await applicationVersion(application);
      if (version === undefined) return load();
      return cached(`app:${application}:${key}`, version, load);
    },
  };
}

export type ReadModels = ReturnType<typeof createReadModels>;

/**
 * A version read fresh for each caller (freshRead), except on a database only this process writes
 * (PGlite): there, when no write has finished since the last read started, that read still holds,
 * and no query is made. PGlite runs in this thread, so a query per request would cost the very
 * CPU the cache saves.
 */
function unlessUnchanged<T>(db: Session, read: () => Promise<T>): () => Promise<T> {
  const fresh = freshRead(read);
  const changes = db.changes;
  if (!changes) return fresh;
  let last: { changes: number; value: T } | undefined;
  return async () => {
    const now = changes();
    if (last && last.changes === now) return last.value;
    const value = await fresh();
    last = { changes: now, value };
    return value;
  };
}

const byDatabase = new WeakMap<Session, ReadModels>();

/** One cache per database handle, shared by the route plugins of an app. */
export function readModelsFor(db: Session): ReadModels {
  let models = byDatabase.get(db);
  if (!models) {
    models = createReadModels(db);
    byDatabase.set(db, models);
  }
  return models;
}
