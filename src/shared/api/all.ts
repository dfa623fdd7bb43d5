import { getHealth } from './system';
import { createProject, getProjectDashboard, listProjects } from './projects';
import { createApplication, getApplication, listApplications } from './applications';
import { getClusters, getInstance, getServerGroup, listAccounts, listLoadBalancers } from './clusters';
import {
  destroyServerGroup,
  disableServerGroup,
  enableServerGroup,
  getInstanceLog,
  listTrafficGuards,
  resizeServerGroup,
  rollbackCluster,
  setTrafficGuard,
} from './server-groups';
import { translateButaneToIgnition } from './provisioning';
import {
  createPipeline,
  getPipeline,
  listPipelineRevisions,
  listPipelines,
  restorePipelineRevision,
  savePipeline,
  validatePipelineEndpoint,
} from './pipelines';
import {
  cancelExecution,
  getExecution,
  getExecutionLogs,
  ignoreStageFailure,
  judgeStage,
  listAllExecutions,
  listExecutionNotifications,
  listExecutions,
  pauseExecution,
  restartStage,
  resumeExecution,
  skipStage,
  startExecution,
} from './executions';
import { listPendingJudgments } from './approvals';
import { assignImageChannel, getImage, listImageFlags, listImages, lookupImage, revokeImage } from './images';
import { createRecipe, getRecipe, listRecipeRevisions, listRecipes, saveRecipe } from './recipes';

import { convertSpinnakerPipeline } from './spinnaker';
import { authEndpoints } from './auth';
import { accountEndpoints } from './accounts';

/** Every endpoint, so tests can walk them all (contract, mocks, OpenAPI). */
export const allEndpoints = {
  getHealth,
  listProjects,
  getProjectDashboard,
  createProject,
  listApplications,
  getApplication,
  createApplication,
  getClusters,
  getServerGroup,
  listLoadBalancers,
  getInstance,
  listAccounts,
  ...accountEndpoints,
  enableServerGroup,
  disableServerGroup,
  resizeServerGroup,
  destroyServerGroup,
  rollbackCluster,
  setTrafficGuard,
  listTrafficGuards,
  getInstanceLog,
  translateButaneToIgnition,
  listPipelines,
  createPipeline,
  getPipeline,
  savePipeline,
  validatePipelineEndpoint,
  convertSpinnakerPipeline,
  listPipelineRevisions,
  restorePipelineRevision,
  startExecution,
  getExecution,
  listExecutions,
  listAllExecutions,
  pauseExecution,
  resumeExecution,
  listExecutionNotifications,
  cancelExecution,
  judgeStage,
  getExecutionLogs,
  restartStage,
  skipStage,
  ignoreStageFailure,
  listPendingJudgments,
  listImages,
  getImage,
  assignImageChannel,
  revokeImage,
  lookupImage,
  listImageFlags,
  listRecipes,
  createRecipe,
  getRecipe,
  saveRecipe,
  listRecipeRevisions,
  ...authEndpoints,
} as const;
