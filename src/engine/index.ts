import { createInstanceControl, type InstanceControl } from './cloud/instance-control';
import { randomUUID } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobRunner } from './jobs/job-runner';
import { createHttpCaller } from './jobs/http-caller';
import { createJobSandbox, DEMO_DIR, KILN_ROOT, type SandboxSettings } from './jobs/sandbox';
import type { Execution, TriggerRecord } from '../shared/domain/execution';
import type { Pipeline } from '../shared/domain/pipeline';
import type { PendingJudgment, Repositories } from '../db/types';
import type { EventBus } from './events/event-bus';
import { advanceExecution } from './orchestrator/run-execution';
import { createLeasedTicks, processLease } from './orchestrator/leased-ticks';
import type { JudgmentInput } from './controls';
import { EngineError } from './errors';
import type { Me } from '../shared/domain/user';
import { createOperations } from './operations';
import type { CloudProviders } from './cloud/provider';
import { createControls } from './controls';
import { stopCanceledJenkinsStage } from './stages/jenkins-cancel';
import { stopCanceledContainerJob } from './stages/run-container-job';
import { createLifecycle, TRIGGER_ACCOUNT } from './lifecycle';
import { deliverDue } from './notifications/deliver';
import { defaultOutboundPolicy, type OutboundPolicy } from './net/outbound-policy';
import type { Resolver } from './net/guarded-request';
import { createClusterControl, type ClusterControl } from './cloud/cluster-control';
import { createClusterOperations } from './cloud/cluster-operation-runner';
import type { Signals } from '../db/signals';
import { createWorkSignals } from './work-signals';
import { providerLeases } from './provider-leases';
import { createStartExecution } from './start-execution';
import { createTriggerFiring } from './trigger-firing';
import type { TransactionStep } from '../db/repositories/registry-cursors';

export { EngineError, TRIGGER_ACCOUNT };
export type { PendingJudgment } from '../db/types';
export type { ClusterControl } from './cloud/cluster-control';

// The server's one door into the engine: besides createEngine, what main.ts and app.ts wire up at
// start and the few helpers routes need. A test (src/server/engine-door.test.ts) keeps it the only one.
export { createEventBus, type EventBus } from './events/event-bus';
export { createLocalCloud, type LocalCloud } from './cloud/local';
export { leaseOwnerName } from './cloud/local-lease';
export { localProviders } from './cloud/providers';
export { kilnProviders } from './cloud/docker/kiln-providers';
export { accountHealth, dockerTarget } from './cloud/account-health';
export { createRegistryCatalog } from './bakery/registry-catalog';
export { artifactPath, bakeryPaths, defaultDataDir } from './bakery/store';
export { removeArtifactFiles } from './bakery/remove-artifact';
export { clearStageCache, describeStageCache, pruneStageCacheNow, stageCachePolicy } from './bakery/stage-cache';
export { pushImageToAccount } from './registry-push/push-to-account';
export { notifyImagesChanged } from './bakery/registry-events';
export { BakeRunningError, bakeOf, isBakeNow, startBakeNow } from './bake-now';
export { createJobSandbox } from './jobs/sandbox';
export { parseOutboundAllow, type OutboundAllowEntry } from './net/outbound-policy';

export interface EngineOptions {
  repos: Repositories;
  events: EventBus;
  /** Injected so tests drive time; defaults to the wall clock. */
  now?: () => Date;
  /** Unique per process: leases name their owner. */
  owner?: string;
  /** How long a claim holds an execution without renewal; renewed every third of it while advancing. */
  leaseMs?: number;
  /** Executions claimed at once (default 1: a slow one never holds others back from another process). */
  claimBatch?: number;
  /** Executions advanced side by side in this process (default 4). */
  workers?: number;
  tickMs?: number;
  /** LISTEN/NOTIFY on PostgreSQL (db/signals.ts): other processes hear at once when work here became due, and this one hears of theirs. */
  signals?: Signals;
  /** Where jobs without a workingDir run (one directory per stage). */
  jobsRoot?: string;
  /**
   * How jobs are confined (sandbox.ts): on by default. Kiln's own files, the jobs root and these
   * `hide` paths (main.ts adds KILN_DATA) are never visible to a job; the demo's scripts are readable.
   */
  jobSandbox?: SandboxSettings;
  /** The cloud behind each account for deploy stages (main.ts passes the local cloud). */
  cloud?: CloudProviders;
  /** True while this process runs the local cloud (main.ts); deploy steps are left to the one that does. Unset: this one. */
  leadsCloud?: () => boolean;
  onError?: (err: unknown) => void;
  /** How notifications are sent (tests pass a recorder); defaults to a call checked against `outbound`. */
  fetch?: typeof fetch;
  /** What webhook stages and notifications may call (KILN_OUTBOUND_ALLOW, Kiln's own port); private addresses are refused by default. */
  outbound?: OutboundPolicy;
  /** DNS for outbound calls; tests pass a fake one. */
  resolver?: Resolver;
}

export interface Engine {
  /** `within` is done in the transaction that stores the run (a bake on demand checks none of its recipe is under way). */
  start(pipeline: Pipeline, trigger: TriggerRecord, within?: TransactionStep): Promise<Execution>;
  /** Starts a run for an automatic cause (a webhook delivery, a cron minute) at most once per cause. */
  /** `within` is done in the transaction that stores the run (a registry trigger's cursor moves with the run it starts). */
  fire(pipeline: Pipeline, trigger: TriggerRecord, cause: string, within?: TransactionStep): Promise<{ execution: Execution; duplicate: boolean }>;
  cancel(executionId: string, by: string, reason: string): Promise<Execution>;
  /** Stops starting and stepping stages until resume(); running jobs keep running. */
  pause(executionId: string, by: string, reason: string | undefined): Promise<Execution>;
  resume(executionId: string, by: string): Promise<Execution>;
  /** The judge (`me`) is checked by the shared judgment rule; the input against the stage's options. */
  judge(executionId: string, refId: string, judgment: JudgmentInput): Promise<Execution>;
  /** Runs a finished stage and everything after it again. */
  /** `reason` is required (400 naming it) when an admin restarts past a rejected judgment. */
  restartStage(executionId: string, refId: string, by: string, me: Me | undefined, reason?: string): Promise<Execution>;
  /** Skips a waiting (wait, judgment) or failed stage; the stages after it run. */
  /** Who asks (`me`) is checked by the shared stage-action rule (a waiting judgment like a judgment). */
  skipStage(executionId: string, refId: string, by: string, reason: string, me: Me | undefined): Promise<Execution>;
  /** Turns a failed stage into FAILED_CONTINUE so the stages after it run. */
  ignoreFailure(executionId: string, refId: string, by: string, reason: string, me: Me | undefined): Promise<Execution>;
  /** Claims and advances every execution with work due; returns how many it advanced. */
  tick(): Promise<number>;
  /** Sends due notifications now (run() does every second). */
  deliverNotifications(): Promise<number>;
  /** Fires due cron triggers and what the image registry did since the last check (run() checks every second). */
  checkTriggers(): Promise<number>;
  /** Ticks on a timer until stop(); start() and judge() also tick at once. */
  run(): void;
  stop(): Promise<void>;
  /** Kills this process's running jobs (shutdown); their stages fail as interrupted on the next look. */
  killJobs(): Promise<void>;
  /** Manual judgments waiting for a person in live runs, newest first (who may judge each is the shared rule's business). */
  pendingJudgments(): Promise<PendingJudgment[]>;
  /** Server-group operations asked for by hand, with the traffic guard; rollbacks run as durable operations (swept by run()). */
  clusters: ClusterControl;
  /** Reboot or terminate one instance of a group. */
  instances: InstanceControl;
}

export function createEngine(options: EngineOptions): Engine {
  const { repos, events } = options;
  const now = options.now ?? (() => new Date());
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  // Short, and renewed every third of it while advancing: a killed process's executions are taken over within seconds.
  const leaseMs = options.leaseMs ?? 6_000;
  let timer: NodeJS.Timeout | undefined;
  let slowTimer: NodeJS.Timeout | undefined;
  // Keys are `${executionId}/…`: an answer makes its execution due at once.
  const outbound = options.outbound ?? defaultOutboundPolicy();
  const http = createHttpCaller((key) => void repos.executions.wake(key.split('/')[0]!).then(work.due, options.onError), outbound, options.resolver);
  const jobsRoot = options.jobsRoot ?? join(tmpdir(), 'kiln-jobs');
  const sandbox = options.jobSandbox ?? { mode: 'on' };
  const jobs = createJobRunner({
    repos,
    events,
    jobsRoot,
    sandbox: createJobSandbox({ ...sandbox, hide: [KILN_ROOT, jobsRoot, ...(sandbox.hide ?? [])], readOnly: [DEMO_DIR, ...(sandbox.readOnly ?? [])] }),
    owner,
    now,
    // A finished job makes its execution due at once instead of at the next poll.
    onExit: (id) => {
      // The process advancing the execution looks again itself; otherwise any process may claim it.
      // Its result is in job_runs by now, so any process may complete the stage: the one woken first.
      if (!leased.nudge(id)) void repos.executions.wake(id, true).then(work.due, options.onError);
    },
    ...(options.onError ? { onError: options.onError } : {}),
  });
  const { holds, held: heldLeases } = providerLeases(options.cloud, options.leadsCloud);
  const leased = createLeasedTicks({
    repos,
    now,
    owner,
    leaseMs,
    claimBatch: options.claimBatch,
    workers: options.workers,
    onError: options.onError,
    holds: () => [processLease(owner), ...heldLeases()],
    onReleasedDue: () => options.signals?.notify('work'),
    advance: (lease, guard) => advanceExecution(lease.id, { repos, events, now, jobs, http, owner, startExecution, cloud: options.cloud, lifecycle, lease, holds, ...guard }),
  });
  // A tick starts the workers that are free and resolves once none is busy, so `await tick()` means
  // everything due has been advanced (tests and start() rely on it).
  const tick = (): Promise<number> => leased.tickOnce();
  const work = createWorkSignals({ tick, signals: options.signals, onError: options.onError });
  const due = () => work.due();
  const startExecution = createStartExecution({ repos, events, now, due });
  const { fire, checkTriggers } = createTriggerFiring({ repos, now, start: startExecution, onError: options.onError });

  const lifecycle = createLifecycle({ repos, events, now, fire, notified: () => void deliver(), kick: due, ...(options.onError ? { onError: options.onError } : {}) });

  let delivering: Promise<number> | undefined;
  const deliver = (): Promise<number> => {
    if (work.stopped) return Promise.resolve(0);
    delivering ??= deliverDue({ repos, now, outbound, ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.resolver ? { resolver: options.resolver } : {}) })
      .catch((err: unknown) => {
        options.onError?.(err);
        return 0;
      })
      .finally(() => (delivering = undefined));
    return delivering;
  };

  const controls = createControls({
    repos,
    events,
    jobs,
    now,
    kick: due,
    stopStage: async (e, s) => {
      await stopCanceledJenkinsStage({ repos, events, outbound }, e, s);
      await stopCanceledContainerJob(options.cloud, s);
    },
    ended: async (e) => {
      await lifecycle.ending(e);
      await lifecycle.ended(e);
    },
  });
  const operations = createOperations({ repos, events, now, wake: due });
  const clusterOperations = createClusterOperations({ repos, events, cloud: options.cloud, now, owner, leaseMs, holds, held: heldLeases, onError: options.onError });
  const sweepOperations = () => {
    if (!work.stopped) void clusterOperations.sweep().catch((err: unknown) => options.onError?.(err));
  };

  return {
    start: (pipeline, trigger, within) => startExecution(pipeline, trigger, undefined, within),
    fire,
    ...operations,
    ...controls,

    tick,
    deliverNotifications: () => deliver(),
    checkTriggers,

    run() {
      if (timer) return;
      timer = setInterval(() => {
        work.kick();
        sweepOperations();
      }, options.tickMs ?? 250);
      slowTimer = setInterval(() => {
        void deliver();
        void checkTriggers().catch((err: unknown) => options.onError?.(err));
      }, 1000);
      work.listen();
      // Alive as long as this process's database connection: if it dies, the others resume its work at once.
      options.signals?.join?.(owner);
      work.kick();
    },

    async stop() {
      work.close();
      leased.stop();
      if (timer) clearInterval(timer);
      if (slowTimer) clearInterval(slowTimer);
      timer = undefined;
      slowTimer = undefined;
      await Promise.all([leased.idle(), delivering, clusterOperations.idle()]);
    },

    killJobs() {
      return jobs.killAll();
    },

    pendingJudgments: () => repos.executions.pendingJudgments(),

    clusters: createClusterControl({ repos, cloud: options.cloud, operations: clusterOperations }),

    instances: createInstanceControl({ repos, cloud: options.cloud }),
  };
}
