import { AuditEntry } from '../../shared/domain/user';
import { containsPattern, iso, parseRows, withoutNulls } from '../sql';
import type { Session } from '../types';

export interface AuditRepository {
  append(entry: Omit<AuditEntry, 'id'>): Promise<void>;
  /** Newest first; `before` is an id to page from. */
  list(filter: { actor?: string | undefined; action?: string | undefined; q?: string | undefined; before?: number | undefined; limit: number }): Promise<AuditEntry[]>;
}

/** The append-only audit log (the database refuses updates and deletes, see migration 7). */
export function auditRepository(db: Session): AuditRepository {
  return {
    async append(e) {
      await db.query(`insert into audit_log (at, actor, action, target, status, details, ip, user_agent) values ($1, $2, $3, $4, $5, $6, $7, $8)`, [
        e.at,
        e.actor,
        e.action,
        e.target,
        e.status,
        JSON.stringify(e.details),
        e.ip ?? null,
        e.userAgent ?? null,
      ]);
    },

    async list(filter) {
      const { rows } = await db.query(
        `select id, ${iso('at')} as at, actor, action, target, status, details, ip, user_agent as "userAgent"
         from audit_log
         where ($1::text is null or actor = $1) and ($2::text is null or action like $2 || '%')
           and ($3::text is null or target ilike $3 or action ilike $3 or actor ilike $3 or details::text ilike $3)
           and ($4::bigint is null or id < $4)
         order by id desc limit $5`,
        [filter.actor ?? null, filter.action ?? null, filter.q ? containsPattern(filter.q) : null, filter.before ?? null, filter.limit],
      );
      return parseRows(
        AuditEntry,
        rows,
        'audit_log',
        (r) => String(r.id),
        (r) => ({ ...withoutNulls(r), id: Number(r.id), details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details }),
      );
    },
  };
}
