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
  /** Each change of whether it took traffic, oldest first; empty when unknown (destroyed before Kiln recorded them). */
  traffic: z
    .array(
      z.object({
        at: Timestamp,
        enabled: z.boolean(),
        /** Who changed it: a person, or the user whose run did (absent when unknown or not the caller's to see). */
        by: z.string().optional(),
        /** The run that changed it, when the caller may read that run's application. */
        execution: z.string().optional(),
        /** That run's application (where its page is). */
        executionApplication: z.string().optional(),
      }),
    )
    .default([]),
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

export type TrafficPeriod = {
  from: string;
  to: string | undefined;
  enabled: boolean;
  by?: string | undefined;
  execution?: string | undefined;
  executionApplication?: string | undefined;
};

/** Its enabled and disabled periods, oldest first; the last one ends when it was destroyed (or runs on). */
export function trafficPeriods(entry: Pick<HistoryEntry, 'traffic' | 'destroyedAt'>): TrafficPeriod[] {
  const changes = entry.traffic.filter((t, i, all) => i === 0 || t.enabled !== all[i - 1]!.enabled);
  return changes.map((t, i) => ({
    from: t.at,
    to: changes[i + 1]?.at ?? entry.destroyedAt,
    enabled: t.enabled,
    by: t.by,
    execution: t.execution,
    executionApplication: t.executionApplication,
  }));
}

/** How long it took traffic in all (milliseconds), or undefined when its traffic was never recorded. */
export function servedTrafficMs(entry: Pick<HistoryEntry, 'traffic' | 'destroyedAt'>, now: Date): number | undefined {
  if (entry.traffic.length === 0) return undefined;
  return trafficPeriods(entry)
    .filter((p) => p.enabled)
    .reduce((sum, p) => sum + Math.max(0, (p.to ? Date.parse(p.to) : now.getTime()) - Date.parse(p.from)), 0);
}

/** Whether it took traffic at that instant: enabled by the last change before it. Undefined when unknown. */
export function servingAt(entry: Pick<HistoryEntry, 'traffic' | 'createdAt' | 'destroyedAt'>, at: Date): boolean | undefined {
  if (!aliveAt(entry, at) || entry.traffic.length === 0) return undefined;
  const last = entry.traffic.filter((t) => Date.parse(t.at) <= at.getTime()).at(-1);
  return last?.enabled;
}
