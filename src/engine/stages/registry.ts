import type { StageConfig, StageType } from '../../shared/stages/registry';
import type { StageHandler } from './handler';
import { waitHandler } from './wait';
import { evaluateVariablesHandler } from './evaluate-variables';
import { checkPreconditionsHandler } from './check-preconditions';
import { manualJudgmentHandler } from './manual-judgment';
import { runJobHandler } from './run-job';
import { webhookHandler } from './webhook';
import { pipelineHandler } from './pipeline';
import { deployHandler } from './deploy';
import { enableServerGroupHandler } from './enable-server-group';
import { disableServerGroupHandler } from './disable-server-group';
import { resizeServerGroupHandler } from './resize-server-group';
import { destroyServerGroupHandler } from './destroy-server-group';
import { scaleDownClusterHandler } from './scale-down-cluster';
import { rollbackClusterHandler } from './rollback-cluster';
import { findImageHandler } from './find-image';
import { bakeHandler } from './bake';
import { jenkinsHandler } from './jenkins';
import { imageChannelHandler } from './image-channel';
import { placeholderHandler } from './placeholder';

/** Each stage type's handler takes that type's config: `wait: deployHandler` fails the type check. */
export type StageHandlers = { [T in StageType]: StageHandler<StageConfig<T>> };

/** What runs each stage type; a type without a handler fails the type check. */
const handlers = {
  wait: waitHandler,
  evaluateVariables: evaluateVariablesHandler,
  checkPreconditions: checkPreconditionsHandler,
  manualJudgment: manualJudgmentHandler,
  runJob: runJobHandler,
  webhook: webhookHandler,
  pipeline: pipelineHandler,
  deploy: deployHandler,
  enableServerGroup: enableServerGroupHandler,
  disableServerGroup: disableServerGroupHandler,
  resizeServerGroup: resizeServerGroupHandler,
  destroyServerGroup: destroyServerGroupHandler,
  scaleDownCluster: scaleDownClusterHandler,
  rollbackCluster: rollbackClusterHandler,
  findImage: findImageHandler,
  bake: bakeHandler,
  jenkins: jenkinsHandler,
  imageChannel: imageChannelHandler,
  placeholder: placeholderHandler,
} satisfies StageHandlers;

// Callers hold a stage of any type; its config was parsed by that type's schema before a step runs.
export const stageHandlers: Record<StageType, StageHandler<never>> = handlers;
