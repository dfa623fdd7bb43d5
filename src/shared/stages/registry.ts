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
import { jenkinsStage } from './jenkins';
import { imageChannelStage } from './image-channel';
import { placeholderStage } from './placeholder';

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
  jenkins: jenkinsStage,
  imageChannel: imageChannelStage,
  placeholder: placeholderStage,
} satisfies Record<string, StageDefinition>;

export type StageType = keyof typeof stageDefinitions;
/** Derived from the definitions, in their order (the palette's), so a new type is one line above. */
export const STAGE_TYPES = Object.keys(stageDefinitions) as [StageType, ...StageType[]];
export const StageType = z.enum(STAGE_TYPES);

/** A stage's config once its schema parsed it (defaults filled in), by stage type. */
export type StageConfig<T extends StageType> = z.output<(typeof stageDefinitions)[T]['config']>;
/** A stage's config as written in a pipeline, by stage type. */
export type StageConfigInput<T extends StageType> = z.input<(typeof stageDefinitions)[T]['config']>;

/** Whether a stage of this type writes lines to the execution log (so the page shows its log). */
export function writesLog(type: string): boolean {
  return isStageType(type) && stageDefinitions[type].writesLog === true;
}

/** Whether a stage of this type waits (for time or a person) and may be skipped while it does. */
export function skippableWhileWaiting(type: string): boolean {
  return isStageType(type) && stageDefinitions[type].skippableWhileWaiting === true;
}

export function isStageType(type: string): type is StageType {
  return Object.hasOwn(stageDefinitions, type);
}
