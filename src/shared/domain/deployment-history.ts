import { z } from 'zod';
import { Timestamp } from './ids';

/** One server group's life: created (by whom, in which execution), what it ran, and when it was destroyed. */
export const HistoryEntry = z.object({
  application: z.string(),
  account: z.string(),
  region: z.string(),
  cluster: z.string(),
  serverGroup: z.string(),
  /** The account's environment (prod, staging, …). */
  environment: z.string(),
  /** `name:version`, as the cluster cards print it. */
  image: z.string(),
  createdAt: Timestamp,
  createdBy: z.string().optional(),
  createdByExecution: z.string().optional(),
  destroyedAt: Timestamp.optional(),
  destroyedBy: z.string().optional(),
  destroyedByExecution: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** How long a group served (or has served so far), in milliseconds. */
export function servedMs(entry: Pick<HistoryEntry, 'createdAt' | 'destroyedAt'>, now: Date): number {
  return Math.max(0, (entry.destroyedAt ? Date.parse(entry.destroyedAt) : now.getTime()) - Date.parse(entry.createdAt));
}

/** Whether the group existed at that instant: created by then and not yet destroyed. */
export function aliveAt(entry: Pick<HistoryEntry, 'createdAt' | 'destroyedAt'>, at: Date): boolean {
  return Date.parse(entry.createdAt) <= at.getTime() && (!entry.destroyedAt || Date.parse(entry.destroyedAt) > at.getTime());
}
