import { z } from 'zod';
import type { StageDefinition } from './definition';
import { waitStage } from './wait';
import { manualJudgmentStage } from './manual-judgment';
import { checkPreconditionsStage } from './check-preconditions';
import { runJobStage } from './run-job';
import { webhookStage } from './webhook';
import { pipelineStage } from './pipeline';
import { evaluateVariablesStage } from './evaluate-variables';

export const STAGE_TYPES = [
  'wait',
  'manualJudgment',
  'checkPreconditions',
  'runJob',
  'webhook',
  'pipeline',
  'evaluateVariables',
] as const;
export const StageType = z.enum(STAGE_TYPES);
export type StageType = z.infer<typeof StageType>;

/** Every stage type's shared definition; a type without one fails the type check. */
export const stageDefinitions = {
  wait: waitStage,
  manualJudgment: manualJudgmentStage,
  checkPreconditions: checkPreconditionsStage,
  runJob: runJobStage,
  webhook: webhookStage,
  pipeline: pipelineStage,
  evaluateVariables: evaluateVariablesStage,
} satisfies Record<StageType, StageDefinition>;

export function isStageType(type: string): type is StageType {
  return (STAGE_TYPES as readonly string[]).includes(type);
}
