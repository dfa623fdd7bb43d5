/**
 * Stored pipelines carry the version of the document shape they were saved in (`schemaVersion` in
 * the stored JSON). When a stage's schema tightens, a migration here rewrites older documents into
 * the new shape; they run, in order, whenever a pipeline or one of its kept revisions is read, so a
 * pipeline saved long ago still opens, diffs and runs. Like the SQL migrations: append, never edit.
 */

export type PipelineDocument = Record<string, unknown>;

export interface PipelineMigration {
  /** The version a document has after this migration. */
  version: number;
  why: string;
  /** Pure: returns the document in the new shape; never throws for a document of the version before. */
  migrate: (doc: PipelineDocument) => PipelineDocument;
}

export const PIPELINE_MIGRATIONS: readonly PipelineMigration[] = [
  {
    version: 1,
    why: 'Documents saved before pipelines were versioned have no schemaVersion; their shape is version 1.',
    migrate: (doc) => doc,
  },
  {
    version: 2,
    why:
      "A condition `${ X.previousServerGroups[0] }` (the first demo's cleanup, and what people copied from it) meant 'there is a previous group'; " +
      'since an index past the end fails the stage loudly, it becomes `${ size(X.previousServerGroups) > 0 }`, which says so and skips the stage on a first release.',
    migrate: (doc) => ({
      ...doc,
      ...(Array.isArray(doc.stages) ? { stages: doc.stages.map(firstItemConditionToSize) } : {}),
    }),
  },
];

const FIRST_PREVIOUS = /^\$\{\s*(.+?)\.previousServerGroups\[0\]\s*\}$/;

function firstItemConditionToSize(stage: unknown): unknown {
  if (stage === null || typeof stage !== 'object') return stage;
  const condition = (stage as { condition?: unknown }).condition;
  const m = typeof condition === 'string' ? FIRST_PREVIOUS.exec(condition.trim()) : null;
  return m ? { ...stage, condition: `\${ size(${m[1]}.previousServerGroups) > 0 }` } : stage;
}

export const latestVersion = (migrations: readonly PipelineMigration[]) => migrations.at(-1)?.version ?? 0;

/** The stored JSON to write: the document stamped with the version it is in. */
export function stampPipeline<T extends object>(doc: T, migrations: readonly PipelineMigration[] = PIPELINE_MIGRATIONS): T & { schemaVersion: number } {
  return { ...doc, schemaVersion: latestVersion(migrations) };
}

/**
 * A stored document in today's shape: each migration newer than its version applied in order, and
 * the version stamp taken off (it is storage bookkeeping, not part of the pipeline). A document
 * from a newer Kiln is returned as it is, for the schema to judge.
 */
export function upgradePipeline(stored: PipelineDocument, migrations: readonly PipelineMigration[] = PIPELINE_MIGRATIONS): PipelineDocument {
  const { schemaVersion, ...rest } = stored;
  const from = typeof schemaVersion === 'number' ? schemaVersion : 0;
  return migrations.filter((m) => m.version > from).reduce((doc, m) => m.migrate(doc), rest as PipelineDocument);
}
