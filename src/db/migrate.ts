import { initialSchema } from './migrations/001-initial-schema';
import { pipelinesSchema } from './migrations/002-pipelines';
import { eventsSchema } from './migrations/003-events';
import { executionsSchema } from './migrations/004-executions';
import { executionLogsSchema } from './migrations/005-execution-logs';
import { engineControlsSchema } from './migrations/006-engine-controls';
import { authSchema } from './migrations/007-auth';
import { oidcSchema } from './migrations/008-oidc';
import { localCloudSchema } from './migrations/010-local-cloud';
import { localCloudLeaseSchema } from './migrations/011-local-cloud-lease';
import { imageRegistrySchema } from './migrations/030-image-registry';
import { ociImagesSchema } from './migrations/031-oci-images';
import { executionFencingSchema } from './migrations/050-execution-fencing';
import { triggerOwnersSchema } from './migrations/070-trigger-owners';
import { accountsSchema } from './migrations/110-accounts';
import { containerProviderSchema } from './migrations/130-container-provider';
import { executionNeedsLeaseSchema } from './migrations/140-execution-needs-lease';
import { serverGroupHistorySchema } from './migrations/160-server-group-history';
import { imageRestoreSchema } from './migrations/175-image-restore';
import { clusterOperationsSchema } from './migrations/180-cluster-operations';
import { pipelineDeleteSchema } from './migrations/185-pipeline-delete';
import { serverGroupTrafficSchema } from './migrations/186-server-group-traffic';
import { ciServersSchema } from './migrations/190-ci-servers';
import { authEpochSchema } from './migrations/195-auth-epoch';
import { readModelVersionsSchema } from './migrations/196-read-model-versions';
import { providerLeasesSchema } from './migrations/200-provider-leases';
import { kubernetesProviderSchema } from './migrations/205-kubernetes-provider';
import { qemuProviderSchema } from './migrations/210-qemu-provider';
import { trafficActorSchema } from './migrations/230-traffic-actor';
import { imagePushesSchema } from './migrations/240-image-pushes';
import { readModelBumpsAtCommitSchema } from './migrations/245-read-model-bumps-at-commit';
import { eventsCommitOrderSchema } from './migrations/250-events-commit-order';
import { registryTriggerCursorsSchema } from './migrations/260-registry-trigger-cursors';
import { executionLogCursorSchema } from './migrations/270-execution-log-cursor';
import { imageClaimsSchema } from './migrations/275-image-claims';
import { accountMetricsSchema } from './migrations/295-account-metrics';
import { enginePresenceSchema } from './migrations/310-engine-presence';
import { leasePresenceGraceSchema } from './migrations/325-lease-presence-grace';
import { bakeNowAnchorsSchema } from './migrations/320-bake-now-anchors';
import type { Session } from './types';

export interface Migration {
  /** Applied in ascending order; never reuse or renumber a version once released. */
  version: number;
  name: string;
  /** PostgreSQL SQL; it runs on both PostgreSQL and PGlite. */
  up: string;
}

/**
 * Every migration, listed explicitly: discovering files at run time breaks once the server is
 * bundled or run through tsx from another directory.
 */
export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  pipelinesSchema,
  eventsSchema,
  executionsSchema,
  executionLogsSchema,
  engineControlsSchema,
  authSchema,
  oidcSchema,
  localCloudSchema,
  localCloudLeaseSchema,
  imageRegistrySchema,
  ociImagesSchema,
  executionFencingSchema,
  triggerOwnersSchema,
  accountsSchema,
  containerProviderSchema,
  executionNeedsLeaseSchema,
  serverGroupHistorySchema,
  imageRestoreSchema,
  clusterOperationsSchema,
  pipelineDeleteSchema,
  serverGroupTrafficSchema,
  ciServersSchema,
  authEpochSchema,
  readModelVersionsSchema,
  providerLeasesSchema,
  kubernetesProviderSchema,
  qemuProviderSchema,
  trafficActorSchema,
  imagePushesSchema,
  readModelBumpsAtCommitSchema,
  eventsCommitOrderSchema,
  registryTriggerCursorsSchema,
  executionLogCursorSchema,
  imageClaimsSchema,
  accountMetricsSchema,
  enginePresenceSchema,
  bakeNowAnchorsSchema,
  leasePresenceGraceSchema,
];

/**
 * Key of the advisory lock that serializes migrations when several Kiln processes start at once
 * on one PostgreSQL ("kiln" in ASCII, so it is recognizable in pg_locks).
 */
export const MIGRATION_LOCK_KEY = 0x6b696c6e;

async function lock(tx: Session): Promise<void> {
  // PGlite has one connection, so its transactions already run one at a time.
  if (tx.driver === 'postgres') await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
}

async function appliedVersions(tx: Session): Promise<Set<number>> {
  const { rows } = await tx.query<{ version: number }>('select version from schema_migrations');
  return new Set(rows.map((r) => r.version));
}

/**
 * Brings the schema up to date: each pending migration in its own transaction, recorded in
 * schema_migrations. Safe to run at every start and from several processes at once: each
 * transaction takes the lock and re-reads what is applied before applying anything.
 * Returns the versions this call applied.
 */
export async function migrate(db: Session, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const versions = new Set(ordered.map((m) => m.version));
  if (versions.size !== ordered.length) throw new Error('two migrations share a version number');

  // `create table if not exists` is not safe against a concurrent create, hence the lock here too.
  const pending = await db.transaction(async (tx) => {
    await lock(tx);
    await tx.exec(`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`);
    const applied = await appliedVersions(tx);
    return ordered.filter((m) => !applied.has(m.version));
  });

  const done: number[] = [];
  for (const migration of pending) {
    const applied = await db.transaction(async (tx) => {
      await lock(tx);
      if ((await appliedVersions(tx)).has(migration.version)) return false;
      try {
        await tx.exec(migration.up);
      } catch (err) {
        throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(err as Error).message}`, {
          cause: err,
        });
      }
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (applied) done.push(migration.version);
  }
  return done;
}
