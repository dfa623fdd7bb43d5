import { z } from 'zod';
import { defineStage, Seconds, TemplateString } from './definition';
import { StageAccount, StageCapacity, StageRegion } from './server-group-target';

const part = (what: string) =>
  z
    .string()
    .trim()
    .max(40)
    .regex(/^[a-z0-9._]*$/, `${what} may only hold a-z, 0-9, '.' and '_'`);

export const DEPLOY_STRATEGIES = ['redblack', 'rollingredblack', 'canary', 'highlander', 'none'] as const;

export const deployStage = defineStage({
  label: 'Deploy',
  description:
    'Launches a new server group from an image in the next vNNN of its cluster and shifts traffic to it with a strategy: red/black, rolling red/black, canary, highlander or none.',
  config: z.object({
    account: StageAccount,
    region: StageRegion,
    stack: part('stack').optional(),
    detail: z
      .string()
      .trim()
      .max(60)
      .regex(/^[a-z0-9._~^-]*$/, "detail may only hold a-z, 0-9, '.', '_', '~', '^' and '-'")
      .optional(),
    /** `name:version`, e.g. `sample-app:v2`, or a template such as `${ stage('Find image').outputs.image }`. */
    image: TemplateString.pipe(z.string().trim().min(1, 'image must not be empty').max(200)),
    capacity: StageCapacity.default({ min: 1, desired: 2, max: 4 }),
    loadBalancers: z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .max(63)
          .regex(/^[a-z0-9][a-z0-9._-]*$/, 'load balancer names are lowercase letters, digits, ., _ or -'),
      )
      .max(5)
      .default([]),
    userData: z.string().max(65_536).optional(),
    /** Deploy a revoked image anyway, with this reason (recorded in the stage outputs); without it a revoked image is refused. */
    revokedImageOverride: z.string().trim().min(1).max(500).optional(),
    strategy: z.enum(DEPLOY_STRATEGIES).default('redblack'),
    /** Red/black: how many server groups the cluster keeps, the new one included; older ones are destroyed. */
    maxRemainingAsgs: z.number().int().min(1).max(20).default(2),
    /** Red/black: resize the disabled groups to 0 instances (they stay for a fast rollback by resize). */
    scaleDown: z.boolean().default(false),
    delayBeforeDisableSec: Seconds(3600).default(0),
    /** When the deploy fails after launching, destroy the new group and give traffic back to the old one. */
    rollbackOnFailure: z.boolean().default(true),
    /** How long the new instances have to come up healthy. */
    healthyTimeoutSec: Seconds(3600).min(5).default(300),
    /** Rolling red/black: traffic and capacity shares of the new group, step by step, ending at 100. */
    targetPercentages: z
      .array(z.number().int().min(1).max(100))
      .min(1)
      .max(10)
      .refine((p) => p.every((v, i) => i === 0 || v > p[i - 1]!), 'targetPercentages must rise step by step')
      .refine((p) => p.at(-1) === 100, 'targetPercentages must end at 100')
      .default([10, 50, 100]),
    delayBetweenStepsSec: Seconds(3600).default(0),
    /** Rolling red/black: a pipeline of this application (name or id) that runs between steps and must succeed, e.g. a smoke test or a manual judgment. */
    pipelineBetweenSteps: z.string().trim().min(1).max(200).optional(),
    canary: z
      .object({
        /** Share of the balancer's traffic the canary takes during analysis. */
        weight: z.number().int().min(1).max(50).default(10),
        capacity: z.number().int().min(1).max(10).default(1),
        analysisSec: Seconds(3600).min(1).default(60),
        /** Fail when the canary's error rate exceeds the baseline's by more than this many percentage points. */
        maxErrorRateIncrease: z.number().min(0).max(100).default(1),
        /** Fail when the canary's median latency exceeds the baseline's by more than this percentage (and 20 ms). */
        maxLatencyIncreasePct: z.number().min(0).max(1000).default(50),
        /** Fewer canary requests than this is not enough to judge: the canary fails. */
        minRequests: z.number().int().min(1).max(1_000_000).default(50),
      })
      .default({ weight: 10, capacity: 1, analysisSec: 60, maxErrorRateIncrease: 1, maxLatencyIncreasePct: 50, minRequests: 50 }),
  }),
  writesLog: true,
  defaults: { account: 'prod', region: 'local-east', image: 'sample-app:v1', strategy: 'redblack', capacity: { min: 1, desired: 2, max: 4 }, loadBalancers: [] },
});
export type DeployConfig = z.output<typeof deployStage.config>;
