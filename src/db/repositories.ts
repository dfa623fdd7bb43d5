import { accountRepository } from './repositories/accounts';
import { ciServerRepository } from './repositories/ci-servers';
import { eventRepository } from './repositories/events';
import { applicationRepository } from './repositories/applications';
import { instanceRepository } from './repositories/instances';
import { loadBalancerRepository } from './repositories/load-balancers';
import { projectRepository } from './repositories/projects';
import { serverGroupRepository } from './repositories/server-groups';
import { pipelineRepository } from './repositories/pipelines';
import { bakeNowAnchorRepository } from './repositories/bake-now-anchors';
import { executionRepository } from './repositories/executions';
import { executionLogRepository } from './repositories/execution-logs';
import { notificationRepository } from './repositories/notifications';
import { cloudProcessRepository } from './repositories/cloud-processes';
import { trafficGuardRepository } from './repositories/traffic-guards';
import { userRepository } from './repositories/users';
import { credentialRepository } from './repositories/credentials';
import { auditRepository } from './repositories/audit';
import { oidcRepository } from './repositories/oidc';
import { imageRepository } from './repositories/images';
import { imagePushRepository } from './repositories/image-pushes';
import { imageClaimRepository } from './repositories/image-claims';
import { recipeRepository } from './repositories/recipes';
import { jobRunRepository } from './repositories/job-runs';
import { searchRepository } from './repositories/search';
import { deploymentHistoryRepository } from './repositories/deployment-history';
import { clusterOperationRepository } from './repositories/cluster-operations';
import { registryCursorRepository } from './repositories/registry-cursors';
import type { Repositories, Session } from './types';

/**
 * Every repository on one session. Pass a transaction's handle (db.transaction((tx) =>
 * createRepositories(tx)…)) to make several repository calls one atomic unit.
 */
export function createRepositories(db: Session): Repositories {
  return {
    projects: projectRepository(db),
    applications: applicationRepository(db),
    accounts: accountRepository(db),
    ciServers: ciServerRepository(db),
    serverGroups: serverGroupRepository(db),
    instances: instanceRepository(db),
    loadBalancers: loadBalancerRepository(db),
    cloudProcesses: cloudProcessRepository(db),
    trafficGuards: trafficGuardRepository(db),
    pipelines: pipelineRepository(db),
    executions: executionRepository(db),
    executionLogs: executionLogRepository(db),
    notifications: notificationRepository(db),
    events: eventRepository(db),
    users: userRepository(db),
    credentials: credentialRepository(db),
    audit: auditRepository(db),
    oidc: oidcRepository(db),
    images: imageRepository(db),
    imagePushes: imagePushRepository(db),
    imageClaims: imageClaimRepository(db),
    recipes: recipeRepository(db),
    jobRuns: jobRunRepository(db),
    search: searchRepository(db),
    history: deploymentHistoryRepository(db),
    clusterOperations: clusterOperationRepository(db),
    registryCursors: registryCursorRepository(db),
    bakeNowAnchors: bakeNowAnchorRepository(db),
  };
}
