import type { HttpHandler } from 'msw';
import type { allEndpoints } from '../src/shared/api/all';
import { applicationHandlers } from './handlers/applications';
import { clusterHandlers } from './handlers/clusters';
import { accountHandlers } from './handlers/accounts';
import { ciServerHandlers } from './handlers/ci-servers';
import { serverGroupHandlers } from './handlers/server-groups';
import { instanceHandlers } from './handlers/instances';
import { projectHandlers } from './handlers/projects';
import { systemHandlers } from './handlers/system';
import { provisioningHandlers } from './handlers/provisioning';
import { pipelineHandlers } from './handlers/pipelines';
import { pipelineManagementHandlers } from './handlers/pipeline-management';
import { executionHandlers } from './handlers/executions';
import { approvalHandlers } from './handlers/approvals';
import { authHandlers } from './handlers/auth';
import { imageHandlers } from './handlers/images';
import { recipeHandlers } from './handlers/recipes';
import { bakeHandlers } from './handlers/bakes';
import { searchHandlers } from './handlers/search';
import { historyHandlers } from './handlers/history';
import { stageCacheHandlers } from './handlers/stage-cache';

/** Keyed like `allEndpoints`: an endpoint added to the contract without a mock fails the type check. */
export const handlersByEndpoint = {
  ...systemHandlers,
  ...projectHandlers,
  ...applicationHandlers,
  ...clusterHandlers,
  ...accountHandlers,
  ...ciServerHandlers,
  ...serverGroupHandlers,
  ...instanceHandlers,
  ...provisioningHandlers,
  ...pipelineHandlers,
  ...pipelineManagementHandlers,
  ...executionHandlers,
  ...approvalHandlers,
  ...authHandlers,
  ...imageHandlers,
  ...recipeHandlers,
  ...bakeHandlers,
  ...searchHandlers,
  ...historyHandlers,
  ...stageCacheHandlers,
} satisfies Record<keyof typeof allEndpoints, HttpHandler>;

export const handlers: HttpHandler[] = Object.values(handlersByEndpoint);
