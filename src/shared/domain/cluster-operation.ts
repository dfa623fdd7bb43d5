import { z } from 'zod';
import { AccountName, RegionName, Timestamp } from './ids';
import { ApplicationName, ClusterName, ServerGroupName } from './names';

export const ClusterOperationId = z.uuid({ message: 'operationId must be a UUID' }).brand<'ClusterOperationId'>();
export type ClusterOperationId = z.infer<typeof ClusterOperationId>;

export const ClusterOperationState = z.enum(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED']);
export type ClusterOperationState = z.infer<typeof ClusterOperationState>;

/**
 * A rollback's steps in order; each is recorded once it is done, so a Kiln that takes over a
 * crashed one's operation knows where to go on and never repeats a finished step.
 */
export const ClusterOperationStepName = z.enum(['requested', 'restore', 'healthy', 'enable', 'disable', 'failed']);
export type ClusterOperationStepName = z.infer<typeof ClusterOperationStepName>;

export const ClusterOperationStep = z.object({ name: ClusterOperationStepName, at: Timestamp, message: z.string() });
export type ClusterOperationStep = z.infer<typeof ClusterOperationStep>;

export const RollbackParams = z.object({ healthyTimeoutSec: z.number().int().positive() });

/** An operation on a cluster asked for by a person (today: a rollback), run by the engine in the background. */
export const ClusterOperation = z.object({
  id: ClusterOperationId,
  kind: z.literal('rollback'),
  application: ApplicationName,
  account: AccountName,
  region: RegionName,
  cluster: ClusterName,
  requestedBy: z.string(),
  params: RollbackParams,
  state: ClusterOperationState,
  steps: z.array(ClusterOperationStep),
  /** The group that served when the rollback began, and the one brought back (known once it begins). */
  from: ServerGroupName.optional(),
  to: ServerGroupName.optional(),
  error: z.string().optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  finishedAt: Timestamp.optional(),
});
export type ClusterOperation = z.infer<typeof ClusterOperation>;

export const isOperationActive = (op: Pick<ClusterOperation, 'state'>): boolean => op.state === 'PENDING' || op.state === 'RUNNING';

/** The sentence the dashboard and the CLI show for where an operation stands. */
export function describeOperation(op: ClusterOperation): string {
  const where = `${op.cluster} in ${op.account}/${op.region}`;
  switch (op.state) {
    case 'PENDING':
      return `Rollback of ${where} requested by ${op.requestedBy}; starting…`;
    case 'RUNNING':
      return `Rolling back ${where}: ${op.steps.at(-1)?.message ?? 'under way'}…`;
    case 'SUCCEEDED':
      return `Rolled back ${op.cluster}: ${op.to} serves again, ${op.from} is disabled.`;
    case 'FAILED':
      return `Rollback of ${where} failed: ${op.error ?? 'no reason recorded'}`;
  }
}
