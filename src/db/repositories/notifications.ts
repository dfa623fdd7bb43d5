import { iso } from '../sql';
import type { Session } from '../types';

export interface NewNotification {
  /** Same key, same notification: enqueueing again (a retry after a crash) adds nothing. */
  dedupeKey: string;
  executionId: string;
  application: string;
  event: string;
  url: string;
  payload: Record<string, unknown>;
  /** First attempt at (the engine's clock, not the database's). */
  at: string;
}

export interface StoredNotification extends Omit<NewNotification, 'dedupeKey' | 'at'> {
  id: number;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string;
  deliveredAt?: string;
  failedAt?: string;
  lastError?: string;
}

export interface NotificationRepository {
  /** Returns how many were new. */
  enqueue(items: readonly NewNotification[]): Promise<number>;
  /** Leases up to `limit` notifications due for a delivery attempt. */
  claimDue(now: Date, leaseMs: number, limit: number): Promise<StoredNotification[]>;
  delivered(id: number, at: Date, attempts: number): Promise<void>;
  /** `retryAt` null: give up (failed for good). */
  attemptFailed(id: number, error: string, attempts: number, retryAt: Date | null, at: Date): Promise<void>;
  forExecution(executionId: string): Promise<StoredNotification[]>;
}

const SELECT = `
  select id, execution_id as "executionId", application, event, url, payload, attempts,
         ${iso('created_at')} as "createdAt", ${iso('delivered_at')} as "deliveredAt",
         ${iso('failed_at')} as "failedAt", last_error as "lastError", ${iso('next_attempt_at')} as "nextAttemptAt"
  from notifications`;

const row = (r: Record<string, unknown>): StoredNotification => ({
  id: Number(r.id),
  executionId: String(r.executionId),
  application: String(r.application),
  event: String(r.event),
  url: String(r.url),
  payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
  attempts: Number(r.attempts),
  createdAt: String(r.createdAt),
  nextAttemptAt: String(r.nextAttemptAt),
  ...(r.deliveredAt ? { deliveredAt: String(r.deliveredAt) } : {}),
  ...(r.failedAt ? { failedAt: String(r.failedAt) } : {}),
  ...(r.lastError ? { lastError: String(r.lastError) } : {}),
});

/** The notification outbox: enqueued once per dedupe key, delivered with leases and retries. */
export function notificationRepository(db: Session): NotificationRepository {
  return {
    async enqueue(items) {
      let added = 0;
      for (const n of items) {
        const { rowCount } = await db.query(
          `insert into notifications (dedupe_key, execution_id, application, event, url, payload, next_attempt_at, created_at)
           values ($1, $2, $3, $4, $5, $6, $7, $7) on conflict (dedupe_key) do nothing`,
          [n.dedupeKey, n.executionId, n.application, n.event, n.url, JSON.stringify(n.payload), n.at],
        );
        added += rowCount;
      }
      return added;
    },

    async claimDue(now, leaseMs, limit) {
      // A lease per delivery: a second process (or a retry after a crash) waits it out instead of sending twice at once.
      const { rows } = await db.query(
        `update notifications set lease_until = $2
         where id in (
           select id from notifications
           where delivered_at is null and failed_at is null and next_attempt_at <= $1
             and (lease_until is null or lease_until < $1)
           order by id limit $3 for update skip locked)
         returning id`,
        [now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), limit],
      );
      if (rows.length === 0) return [];
      const { rows: full } = await db.query(`${SELECT} where id = any($1::bigint[]) order by id`, [rows.map((r) => r.id)]);
      return full.map(row);
    },

    async delivered(id, at, attempts) {
      await db.query('update notifications set delivered_at = $2, attempts = $3, lease_until = null, last_error = null where id = $1', [id, at.toISOString(), attempts]);
    },

    async attemptFailed(id, error, attempts, retryAt, at) {
      await db.query(
        `update notifications set attempts = $3, last_error = $2, lease_until = null,
           next_attempt_at = coalesce($4::timestamptz, next_attempt_at), failed_at = case when $4::timestamptz is null then $5::timestamptz end
         where id = $1`,
        [id, error, attempts, retryAt?.toISOString() ?? null, at.toISOString()],
      );
    },

    async forExecution(executionId) {
      const { rows } = await db.query(`${SELECT} where execution_id = $1 order by id`, [executionId]);
      return rows.map(row);
    },
  };
}
