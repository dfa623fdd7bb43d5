import { getHealth } from './system';
import { createProject, deleteProject, getProjectDashboard, listProjects, updateProject } from './projects';
import { createApplication, deleteApplication, getApplication, listApplications, updateApplication } from './applications';
import { getClusters, getInstance, getServerGroup, listAccounts, listLoadBalancers } from './clusters';
import {
  destroyServerGroup,
  disableServerGroup,
  enableServerGroup,
  getClusterOperation,
  getInstanceLog,
  listClusterOperations,
  listTrafficGuards,
  resizeServerGroup,
  rollbackCluster,
  setTrafficGuard,
} from './server-groups';
import { rebootInstance, terminateInstance } from './instances';
import { renderProvisioning, translateButaneToIgnition } from './provisioning';
import {
  createPipeline,
  getPipeline,
  listPipelineRevisions,
  listPipelines,
  pipelineManagementEndpoints,
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
import { getJudgmentContext, listPendingJudgments } from './approvals';
import { assignImageChannel, deleteImageVersion, getImage, listImageFlags, listImages, lookupImage, pushImageVersion, restoreImage, revokeImage } from './images';
import { createRecipe, getRecipe, listRecipeRevisions, listRecipes, saveRecipe } from './recipes';
import { getBake, startBake } from './bakes';

import { convertSpinnakerPipeline } from './spinnaker';
import { authEndpoints } from './auth';
import { accountEndpoints } from './accounts';
import { ciServerEndpoints } from './ci-servers';
import { searchEverything } from './search';
import { listDeploymentHistory } from './history';
import { stageCacheEndpoints } from './stage-cache';

/** Every endpoint, so tests can walk them all (contract, mocks, OpenAPI). */
export const allEndpoints = {
  getHealth,
  listProjects,
  getProjectDashboard,
  createProject,
  updateProject,
  deleteProject,
  listApplications,
  getApplication,
  createApplication,
  updateApplication,
  deleteApplication,
  getClusters,
  getServerGroup,
  listLoadBalancers,
  getInstance,
  listAccounts,
  ...accountEndpoints,
  ...ciServerEndpoints,
  enableServerGroup,
  disableServerGroup,
  resizeServerGroup,
  destroyServerGroup,
  rollbackCluster,
  getClusterOperation,
  listClusterOperations,
  setTrafficGuard,
  listTrafficGuards,
  getInstanceLog,
  rebootInstance,
  terminateInstance,
  translateButaneToIgnition,
  renderProvisioning,
  listPipelines,
  createPipeline,
  getPipeline,
  savePipeline,
  validatePipelineEndpoint,
  convertSpinnakerPipeline,
  listPipelineRevisions,
  restorePipelineRevision,
  ...pipelineManagementEndpoints,
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
  getJudgmentContext,
  listImages,
  getImage,
  assignImageChannel,
  revokeImage,
  deleteImageVersion,
  pushImageVersion,
  restoreImage,
  lookupImage,
  listImageFlags,
  listRecipes,
  createRecipe,
  getRecipe,
  saveRecipe,
  listRecipeRevisions,
  ...stageCacheEndpoints,
  startBake,
  getBake,
  ...authEndpoints,
  searchEverything,
  listDeploymentHistory,
} as const;
