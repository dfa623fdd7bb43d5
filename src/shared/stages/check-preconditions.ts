import { z } from 'zod';
import { defineStage, TemplateString } from './definition';
import { AccountName, RegionName } from '../domain/ids';
import { ClusterName } from '../domain/names';
import { findExpressions } from '../expression/evaluate';

const ClusterSize = z.object({
  type: z.literal('clusterSize'),
  account: AccountName,
  region: RegionName,
  cluster: ClusterName,
  comparison: z.enum(['==', '>=', '<=', '>', '<']),
  expected: z.number().int().min(0),
  /** Count only instances of enabled server groups that are up. */
  onlyHealthy: z.boolean().default(true),
});

const Expression = z.object({
  type: z.literal('expression'),
  expression: z
    .string()
    .min(1)
    .refine((e) => findExpressions(e).length === 1 && !findExpressions(e)[0]!.error, 'must be one valid ${ … } expression'),
  failureMessage: TemplateString.optional(),
});

/** Another stage of this run finished (or not) a certain way, as Spinnaker's stageStatus precondition. */
const StageStatusCheck = z.object({
  type: z.literal('stageStatus'),
  /** The stage's name; it must run before this one. */
  stage: z.string().trim().min(1, 'name the stage whose status to check').max(200),
  status: z.enum(['SUCCEEDED', 'FAILED_CONTINUE', 'TERMINAL', 'CANCELED', 'SKIPPED', 'STOPPED']).default('SUCCEEDED'),
});

export const checkPreconditionsStage = defineStage({
  label: 'Check preconditions',
  description: 'Fails the stage, with the reason, unless every precondition holds (cluster size, expressions, the status of an earlier stage).',
  config: z.object({
    preconditions: z.array(z.discriminatedUnion('type', [ClusterSize, Expression, StageStatusCheck])).min(1, 'add at least one precondition'),
  }),
  defaults: { preconditions: [{ type: 'expression', expression: '${ true }' }] },
});
