import { isStageType } from '../../shared/stages/registry';
import { checkPreconditionsUi } from './check-preconditions';
import { evaluateVariablesUi } from './evaluate-variables';
import { manualJudgmentUi } from './manual-judgment';
import { pipelineUi } from './pipeline';
import { runJobUi } from './run-job';
import type { StageUi, StageUiRegistry } from './stage-ui';
import { unsupportedUi } from './unsupported';
import { waitUi } from './wait';
import { webhookUi } from './webhook';
import { deployUi } from './deploy';
import { enableServerGroupUi } from './enable-server-group';
import { disableServerGroupUi } from './disable-server-group';
import { resizeServerGroupUi } from './resize-server-group';
import { destroyServerGroupUi } from './destroy-server-group';
import { scaleDownClusterUi } from './scale-down-cluster';
import { rollbackClusterUi } from './rollback-cluster';
import { findImageUi } from './find-image';
import { bakeUi } from './bake';
import { jenkinsUi } from './jenkins';
import { imageChannelUi } from './image-channel';
import { placeholderUi } from './placeholder';

/** The editor's view of every stage type; a type without one fails the type check. */
export const stageUis = {
  wait: waitUi,
  manualJudgment: manualJudgmentUi,
  checkPreconditions: checkPreconditionsUi,
  runJob: runJobUi,
  webhook: webhookUi,
  pipeline: pipelineUi,
  evaluateVariables: evaluateVariablesUi,
  deploy: deployUi,
  enableServerGroup: enableServerGroupUi,
  disableServerGroup: disableServerGroupUi,
  resizeServerGroup: resizeServerGroupUi,
  destroyServerGroup: destroyServerGroupUi,
  scaleDownCluster: scaleDownClusterUi,
  rollbackCluster: rollbackClusterUi,
  findImage: findImageUi,
  bake: bakeUi,
  jenkins: jenkinsUi,
  imageChannel: imageChannelUi,
  placeholder: placeholderUi,
} satisfies StageUiRegistry;

/** A stage type Kiln does not know (an imported Spinnaker stage) still gets a node, marked unsupported. */
export function stageUi(type: string): StageUi {
  return isStageType(type) ? stageUis[type] : unsupportedUi;
}
