import { z } from 'zod';
import { ExecutionStatus } from './execution';
import { Timestamp } from './ids';

/** A server group as the judge needs it: what runs, how much of it, since when. */
export const GroupNow = z.object({
  account: z.string(),
  region: z.string(),
  name: z.string(),
  /** `name:version`, as the cluster cards print it. */
  image: z.string(),
  instances: z.number().int().nonnegative(),
  healthy: z.number().int().nonnegative(),
  launchedAt: Timestamp,
});
export type GroupNow = z.infer<typeof GroupNow>;

/**
 * What a manual judgment decides, from real data: what the target cluster runs now, what this run
 * promotes (and where it was built from), how it has done in staging, and the checks it passed.
 */
export const JudgmentContext = z.object({
  /** The deploy after the judgment: where the release goes and what runs there now (enabled groups, newest first). */
  target: z.object({ stageName: z.string(), account: z.string(), region: z.string(), cluster: z.string(), current: z.array(GroupNow) }).optional(),
  /** The image version this run promotes, with its build provenance from the image registry. */
  promotes: z
    .object({
      image: z.string(),
      name: z.string(),
      version: z.string(),
      /** False when the registry does not know it (an outside image): no provenance to show. */
      known: z.boolean(),
      commit: z.string().optional(),
      ref: z.string().optional(),
      ciRunUrl: z.string().optional(),
      builtAt: Timestamp.optional(),
      /** `name:vN` of the image it was built on. */
      parent: z.string().optional(),
    })
    .optional(),
  /** The deploy before the judgment (staging): its group now, and since when it serves. */
  staging: z
    .object({
      stageName: z.string(),
      refId: z.string(),
      status: ExecutionStatus,
      /** When the deploy finished: the group has served since. */
      since: Timestamp.optional(),
      /** host:port of its load balancer, when it has one. */
      address: z.string().optional(),
      group: GroupNow.optional(),
      serverGroup: z.string(),
    })
    .optional(),
  /** The other stages the judgment comes after (smoke tests, checks), in pipeline order. */
  checks: z.array(z.object({ refId: z.string(), stageName: z.string(), type: z.string(), status: ExecutionStatus, endedAt: Timestamp.optional() })),
});
export type JudgmentContext = z.infer<typeof JudgmentContext>;
