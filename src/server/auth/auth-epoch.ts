import type { Session } from '../../db/types';
import { freshRead } from '../read-models/fresh-read';

/**
 * The database's auth epoch (migration 195), as one request may trust it. On PostgreSQL several Kiln
 * processes share the database: a token revoked through another process is only seen here by
 * reading the epoch, with a read that started after the request arrived (freshRead), shared by all
 * requests in flight: one query per round trip instead of the three (plus a write) each request
 * used to make. A failed read fails the request (closed, not open). PGlite is one process's private
 * database: the in-process generation (db/auth-changes.ts) already sees every change, so no query.
 */
export function createAuthEpoch(db: Session): () => number | Promise<number> {
  if (db.driver !== 'postgres') return () => 0;
  return freshRead(async () => {
    const { rows } = await db.query<{ epoch: number | bigint }>('select epoch from auth_epoch');
    return Number(rows[0]?.epoch ?? 0);
  });
}
