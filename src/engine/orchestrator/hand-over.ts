import { type Execution, type ExecutionStatus, type StageExecution } from '../../shared/domain/execution';
import type { CloudProviders } from '../cloud/provider';
import type { JobRunner } from '../jobs/job-runner';
import { processLease, type Next } from './leased-ticks';

const ACTIVE: ReadonlySet<ExecutionStatus> = new Set(['RUNNING', 'SUSPENDED']);

/** Notes the lease of each provider a stage steps on (the local cloud's, a docker account's), so its execution stays with the process that holds it. */
export function usingCloud(cloud: CloudProviders, onLease: (lease: string) => void): CloudProviders {
  return async (account) => {
    const provider = await cloud(account);
    if (provider.lease) onLease(provider.lease);
    return provider;
  };
}

/**
 * When an advance ends with its execution waiting, leaves it to the process that can take its next
 * step (executions.claim skips it in the others), so no process claims it only to put it back.
 */
export function handOver(
  execution: Execution,
  next: Date | null | 'never',
  deps: { onLease: ReadonlyMap<string, string>; holds: (lease: string) => boolean; jobs: JobRunner; owner: string },
): Next {
  const active = execution.stages.filter((s) => ACTIVE.has(s.status));
  if (!(next instanceof Date) || active.length === 0) return next;
  // A deploy waiting for health polls its provider again soon: kept by the process that runs that
  // provider (the local cloud, a docker account), which is the only one that may take the next step.
  const needs = active.map((s) => deps.onLease.get(s.refId)).find((lease) => lease !== undefined && deps.holds(lease));
  if (needs) return { at: next, needs };
  // Every stage waits on a job this process watches, whose exit wakes the execution here; another
  // process could only read the jobs' records. From `next` on (the poll) any may: this one may have died.
  const watched = (s: StageExecution) => s.type === 'runJob' && deps.jobs.status({ executionId: execution.id, refId: s.refId, attempt: s.attempt })?.state === 'running';
  if (active.every(watched)) return { at: next, needs: processLease(deps.owner) };
  return next;
}
