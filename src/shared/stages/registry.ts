import { z } from 'zod';
import type { StageDefinition } from './definition';
import { waitStage } from './wait';
import { manualJudgmentStage } from './manual-judgment';
import { checkPreconditionsStage } from './check-preconditions';
import { runJobStage } from './run-job';
import { webhookStage } from './webhook';
import { pipelineStage } from './pipeline';
import { evaluateVariablesStage } from './evaluate-variables';
import { deployStage } from './deploy';
import { enableServerGroupStage } from './enable-server-group';
import { disableServerGroupStage } from './disable-server-group';
import { resizeServerGroupStage } from './resize-server-group';
import { destroyServerGroupStage } from './destroy-server-group';
import { scaleDownClusterStage } from './scale-down-cluster';
import { rollbackClusterStage } from './rollback-cluster';
import { findImageStage } from './find-image';
import { bakeStage } from './bake';

export const STAGE_TYPES = [
  'wait',
  'manualJudgment',
  'checkPreconditions',
  'runJob',
  'webhook',
  'pipeline',
  'evaluateVariables',
  'deploy',
  'enableServerGroup',
  'disableServerGroup',
  'resizeServerGroup',
  'destroyServerGroup',
  'scaleDownCluster',
  'rollbackCluster',
  'findImage',
  'bake',
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
  deploy: deployStage,
  enableServerGroup: enableServerGroupStage,
  disableServerGroup: disableServerGroupStage,
  resizeServerGroup: resizeServerGroupStage,
  destroyServerGroup: destroyServerGroupStage,
  scaleDownCluster: scaleDownClusterStage,
  rollbackCluster: rollbackClusterStage,
  findImage: findImageStage,
  bake: bakeStage,
} satisfies Record<StageType, StageDefinition>;

export function isStageType(type: string): type is StageType {
  return (STAGE_TYPES as readonly string[]).includes(type);
}
