import { randomUUID } from 'node:crypto';
import type { ZodType } from 'zod';
import { RevisionConflictError } from '../errors';
import { iso, parseRow, parseRows } from '../sql';
import type { Session } from '../types';

/** A stored document row: its JSON config plus the revision bookkeeping every revisioned table has. */
export type RevisionedRow = { id: string; revision: number; config: unknown; updatedAt: string; updatedBy: string };

/** Where one kind of revisioned document lives; names are constants of this package, never input. */
export interface RevisionedTable<T> {
  table: 'pipelines' | 'recipes';
  revisionsTable: 'pipeline_revisions' | 'recipe_revisions';
  idColumn: 'pipeline_id' | 'recipe_id';
  /** The stored document, config and bookkeeping together, validated on the way out. */
  schema: ZodType<T>;
  what: string;
  /** The message of a lost save: who saved which revision after the one the user edited. */
  conflict: (current: T, baseRevision: number) => string;
  /** Brings a stored config of an older shape up to today's before it is validated (pipelines are versioned). */
  upgrade?: (config: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Pipelines and recipes are both documents saved as numbered revisions: a save names the revision
 * it started from and wins only if that is still the newest (compare-and-set), and every revision is
 * kept whole so it can be diffed and restored. This is that logic once.
 */
export function revisionedDocuments<T>(db: Session, t: RevisionedTable<T>) {
  const select = `select id, revision, config, ${iso('updated_at')} as "updatedAt", updated_by as "updatedBy" from ${t.table}`;
  const keepRevision = `insert into ${t.revisionsTable} (${t.idColumn}, revision, config, updated_at, updated_by)
    select id, revision, config, updated_at, updated_by from ${t.table} where id = $1`;

  const input = (row: RevisionedRow) => {
    const stored = typeof row.config === 'string' ? JSON.parse(row.config) : row.config;
    const config = t.upgrade && stored && typeof stored === 'object' ? t.upgrade(stored as Record<string, unknown>) : stored;
    return { ...(config as object), id: row.id, revision: row.revision, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
  };
  const toDocument = (row: RevisionedRow | undefined): T | undefined => row && parseRow(t.schema, input(row), `${t.what} ${row.id}`, { table: t.table, key: row.id });
  /** A list leaves out (and quarantines) a document that does not parse. */
  const toDocuments = (rows: readonly RevisionedRow[]): T[] => parseRows(t.schema, rows, t.table, (r) => r.id, input);
  const get = async (id: string) => toDocument((await db.query<RevisionedRow>(`${select} where id = $1`, [id])).rows[0]);

  return {
    select,
    toDocument,
    toDocuments,
    get,

    /** Revision 1 with `columns` (name, and e.g. application) beside the config. A taken name is the caller's to explain (unique violation). */
    async create(columns: Record<string, string>, config: unknown, by: string): Promise<T> {
      const id = randomUUID();
      const names = Object.keys(columns);
      const values = Object.values(columns);
      await db.transaction(async (tx) => {
        await tx.query(
          `insert into ${t.table} (id, ${names.join(', ')}, revision, config, updated_by)
             values ($1, ${names.map((_, i) => `$${i + 2}`).join(', ')}, 1, $${names.length + 2}, $${names.length + 3})`,
          [id, ...values, JSON.stringify(config), by],
        );
        await tx.query(keepRevision, [id]);
      });
      return (await get(id))!;
    },

    /** The next revision if `baseRevision` is still the newest; RevisionConflictError with the current one if not; undefined when missing. */
    async save(id: string, baseRevision: number, name: string, config: unknown, by: string): Promise<T | undefined> {
      const saved = await db.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          `update ${t.table} set revision = revision + 1, name = $3, config = $4, updated_by = $5, updated_at = now() where id = $1 and revision = $2`,
          [id, baseRevision, name, JSON.stringify(config), by],
        );
        if (rowCount === 0) return false;
        await tx.query(keepRevision, [id]);
        return true;
      });
      const current = await get(id);
      if (!current) return undefined;
      if (!saved) throw new RevisionConflictError(t.conflict(current, baseRevision), current);
      return current;
    },

    /** Every kept revision, newest first (`revision` narrows to one). */
    async revisions(id: string, revision?: number): Promise<Array<{ revision: number; updatedAt: string; updatedBy: string; document: T }>> {
      const { rows } = await db.query<RevisionedRow>(
        `select ${t.idColumn} as id, revision, config, ${iso('updated_at')} as "updatedAt", updated_by as "updatedBy"
         from ${t.revisionsTable} where ${t.idColumn} = $1 and ($2::int is null or revision = $2) order by revision desc`,
        [id, revision ?? null],
      );
      return rows.map((r) => ({ revision: r.revision, updatedAt: r.updatedAt, updatedBy: r.updatedBy, document: toDocument(r)! }));
    },
  };
}
