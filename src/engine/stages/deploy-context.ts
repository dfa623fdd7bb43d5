import type { GroupTraffic } from '../cloud/load-balancer-proxy';

/** What a deploy stage remembers between steps (stored as the stage context, so it survives a crash). */
export interface DeployContext {
  phase?: 'create' | 'healthy' | 'delay' | 'step-delay' | 'gate' | 'analyze';
  serverGroup?: string;
  image?: string;
  /** The registry version the stage claimed for `image` (`name:vN`, a channel resolved once): what it launches. */
  claimed?: string;
  /** A revoked image deployed anyway: the reason given and what the revocation said. */
  imageOverride?: { reason: string; revocation: string };
  cluster?: string;
  /** Groups of the cluster that were enabled when the deploy began, newest first. */
  previous?: string[];
  /** The newest of them: the canary's baseline and the rolling deploy's counterpart. */
  baseline?: string;
  /** How many instances the new group must have healthy to move on. */
  want?: number;
  step?: number;
  phaseStartedAt?: string;
  until?: string;
  promoting?: boolean;
  snapshot?: Record<string, GroupTraffic>;
  canaryAnalysis?: Record<string, unknown>;
  /** Where each of the stage's load balancers answers (`127.0.0.1:port`), for later stages such as a smoke test. */
  loadBalancerAddresses?: Record<string, string>;
  /** The execution of the pipeline run between rolling steps. */
  gate?: string;
  progress?: string;
  /** The healthy count last written as a progress step ("2/3"). */
  reportedHealthy?: string;
  /** When the canary's figures were last written as a progress step. */
  reportedAt?: string;
}

export const readContext = (context: Record<string, unknown>) => context as DeployContext;
