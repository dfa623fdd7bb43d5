import type { Pipeline, PipelineDraft } from '../shared/domain/pipeline';
import type { Execution, ExecutionStatus, StageExecution } from '../shared/domain/execution';
import type { PipelineRevision } from '../shared/api/pipelines';
import type { EventFilter, KilnEvent, NewKilnEvent } from '../shared/api/events';
import type { ImageRepository } from './repositories/images';
import type { ImagePushRepository } from './repositories/image-pushes';
import type { ImageClaimRepository } from './repositories/image-claims';
import type { RecipeRepository } from './repositories/recipes';
import type { JobRunRepository } from './repositories/job-runs';
import type { ClusterOperationRepository } from './repositories/cluster-operations';
import type { RegistryCursorRepository, TransactionStep } from './repositories/registry-cursors';
import type { BakeNowAnchorRepository } from './repositories/bake-now-anchors';
import type { ProjectRepository } from './repositories/projects';
import type { ApplicationRepository } from './repositories/applications';
import type { AccountRepository } from './repositories/accounts';
import type { CiServerRepository } from './repositories/ci-servers';
import type { ServerGroupRepository } from './repositories/server-groups';
import type { CloudProcessRepository } from './repositories/cloud-processes';
import type { TrafficGuardRepository } from './repositories/traffic-guards';
import type { InstanceRepository } from './repositories/instances';
import type { LoadBalancerRepository } from './repositories/load-balancers';
import type { ExecutionLogRepository } from './repositories/execution-logs';
import type { NotificationRepository } from './repositories/notifications';
import type { UserRepository } from './repositories/users';
import type { CredentialRepository } from './repositories/credentials';
import type { OidcRepository } from './repositories/oidc';
import type { AuditRepository } from './repositories/audit';
import type { SearchRepository } from './repositories/search';
import type { DeploymentHistoryRepository } from './repositories/deployment-history';

export type Driver = 'pglite' | 'postgres';

/** The one SQL surface Kiln uses; PostgreSQL dialect on both drivers. */
export interface Queryable {
  query<T extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: T[]; rowCount: number }>;
}

/**
 * Queries plus transactions: a Database, or the handle transaction() passes to its callback, so
 * repositories built on that handle (createRepositories(tx)) take part in the transaction.
 */
export interface Session extends Queryable {
  readonly driver: Driver;
  /**
   * Runs fn in one transaction on one connection; rolls back when it throws. Called on a
   * transaction's handle it nests as a savepoint. On PGlite (one connection) transactions queue.
   */
  transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * PGlite only, where this process is the database's only user: how many statements that may have
   * written have finished (a transaction counts when it ends). Unchanged since a read started means
   * that read is still what the database holds, so a cache may skip asking again. Absent on
   * PostgreSQL, where other processes write too.
   */
  readonly changes?: () => number;
}

export interface Database extends Session {
  close(): Promise<void>;
}

export type ServerGroupKeyRef = { account: string; region: string; name: string };

export interface PipelineRepository {
  /** Newest revision of each, by name. */
  listByApplication(application: string): Promise<Pipeline[]>;
  get(id: string): Promise<Pipeline | undefined>;
  /** Pipelines with a `pipeline` trigger watching this application (enabled or not). */
  triggeredBy(application: string): Promise<Pipeline[]>;
  /** Pipelines with at least one cron trigger (enabled or not). */
  withCron(): Promise<Pipeline[]>;
  /** Pipelines with a registry trigger (enabled or not). */
  withRegistryTrigger(): Promise<Pipeline[]>;
  /** Revision 1. Throws ConflictError when the application already has a pipeline of that name. */
  create(draft: PipelineDraft, by: string): Promise<Pipeline>;
  /**
   * Stores the next revision if `baseRevision` is still the newest; throws RevisionConflictError
   * (carrying the current pipeline) otherwise. Undefined when the pipeline does not exist.
   */
  save(id: string, baseRevision: number, draft: PipelineDraft, by: string): Promise<Pipeline | undefined>;
  /** Every revision, newest first, with its secrets (the BFF masks them; a restore needs them). */
  revisions(id: string): Promise<Array<Omit<PipelineRevision, 'pipeline'> & { pipeline: Pipeline }>>;
  /** Deletes it unless a run is under way or another pipeline runs or watches it (then says which); undefined when missing. */
  delete(pipeline: Pipeline): Promise<PipelineDeleteOutcome>;
  /** A new revision with the new name; returns the other pipelines whose references by name now name it. ConflictError on a taken name. */
  rename(pipeline: Pipeline, name: string, by: string): Promise<Array<{ id: string; application: string; name: string }>>;
}

export type PipelineDeleteOutcome = { deleted: true } | { deleted: false; running: string[]; pointedAtBy: Array<{ id: string; application: string; name: string }> } | undefined;

/** The append-only log behind the live event stream; ids only grow and are never reused. */
export interface EventRepository {
  /** Stores the event and returns it with its id and time. Appends never wait for one another (see events.ts). */
  append(event: NewKilnEvent): Promise<KilnEvent>;
  /**
   * Events with id > afterId that match the filter, oldest first, at most `limit`; only ids below
   * the watermark (no transaction still open could add one there), so a later read never finds an
   * id below one already returned. `known`: events the caller holds already by id (this process
   * published them): their payload is not read and parsed again, the held event takes its place.
   */
  after(afterId: number, filter: EventFilter, limit: number, known?: ReadonlyMap<number, KilnEvent>): Promise<KilnEvent[]>;
  /** The newest id readers may be given, 0 when there is none. */
  latestId(): Promise<number>;
  /** The watermark now: a read that starts after this resolves returns every matching id below it. */
  visibleBelow(): Promise<number>;
}

export interface ExecutionPage {
  executions: Execution[];
  /** Pass back as `cursor` for the next (older) page; undefined on the last page. */
  nextCursor: string | undefined;
  /** The cursor given was not one this repository made. */
  badCursor: boolean;
}

export interface PendingJudgment {
  execution: Execution;
  refId: string;
  waitingSince?: string;
}

export interface ExecutionRepository {
  get(id: string): Promise<Execution | undefined>;
  /** Manual judgments waiting for a person in live runs, newest first, with their executions (loaded together). */
  pendingJudgments(limit?: number): Promise<PendingJudgment[]>;
  /** Just the status (cheap), for an engine that holds the rest in memory during an advance. */
  status(id: string): Promise<ExecutionStatus | undefined>;
  /**
   * Stores a new execution. With a concurrency limit it is stored BUFFERED when the pipeline's
   * slots are taken (and, unless keepWaiting, older waiting runs are canceled as superseded).
   */
  create(
    execution: Execution,
    concurrency?: { max: number; keepWaiting: boolean },
    /** Done in the same transaction (a registry trigger's cursor): it throwing stores nothing. */
    within?: TransactionStep,
  ): Promise<{ status: ExecutionStatus; superseded: string[] }>;
  /** Starts the oldest BUFFERED runs of a pipeline that fit under `max`; returns their ids. */
  promoteBuffered(pipelineId: string, max: number): Promise<string[]>;
  stageStatus(id: string, refId: string): Promise<ExecutionStatus | undefined>;
  /** Just the application (cheap), for permission checks. */
  applicationOf(id: string): Promise<string | undefined>;
  /** Newest first, `limit` per page; one application's or (undefined) everyone's. */
  list(
    application: string | undefined,
    filter: {
      limit: number;
      cursor?: string | undefined;
      statuses?: readonly ExecutionStatus[] | undefined;
      pipelineId?: string | undefined;
      trigger?: string | undefined;
      since?: string | undefined;
      until?: string | undefined;
    },
  ): Promise<ExecutionPage>;
  /**
   * Leases up to `limit` executions that have work due and no live lease; each claim takes a new fencing token.
   * One that needs a lease (see release) is claimed only by a process that names it in `holds`.
   */
  claim(owner: string, now: Date, leaseMs: number, limit: number, holds?: readonly string[]): Promise<ExecutionLease[]>;
  /** Extends the leases still held (same owner and token); returns the ids renewed, so a lost one is known. */
  renew(leases: readonly ExecutionLease[], now: Date, leaseMs: number): Promise<string[]>;
  /**
   * Gives the lease back if still held; the engine looks again at `wakeAt` (null: now; 'never': only when woken).
   * With `needs` ('local-cloud'), only a process holding that lease claims it next.
   */
  release(lease: ExecutionLease, wakeAt: Date | null | 'never', needs?: string): Promise<void>;
  /**
   * Writes a stage's launch record (merged into its context) only while the lease is held, the stage
   * is RUNNING at `attempt` and has no launch record yet (or, with `replacing`, still the record
   * launched at that time, found stale): whoever wins may start the side effect.
   */
  recordLaunch(lease: ExecutionLease, refId: string, attempt: number, record: Record<string, unknown>, replacing?: string): Promise<boolean>;
  /**
   * Makes an execution due now (a judgment arrived, a person acted). `anyProcess`: what happened is
   * stored where every process reads it (a job's result), so one left to the process watching its
   * jobs is no longer: whichever process is free takes it, not only that one once it has a worker free.
   */
  wake(id: string, anyProcess?: boolean): Promise<void>;
  /** With `expect.status`, applies only while the execution has one of them (false when not); `wake` makes it due. */
  updateExecution(
    id: string,
    patch: Partial<Pick<Execution, 'status' | 'startedAt' | 'endedAt' | 'canceledBy' | 'cancelReason' | 'paused'>>,
    expect?: { status?: readonly ExecutionStatus[]; wake?: boolean; lease?: ExecutionLease },
  ): Promise<boolean>;
  /** Puts stages back to NOT_STARTED with no times, outputs, error or context; `attempt` goes up by one. */
  resetStages(id: string, refIds: readonly string[]): Promise<void>;
  /** An ended execution runs again (a person restarted, skipped or ignored a stage). */
  reopen(id: string): Promise<void>;
  /** Applies the patch only while the stage has `expect.status` (when given); false when it did not. */
  updateStage(
    id: string,
    refId: string,
    patch: Partial<Pick<StageExecution, 'status' | 'startedAt' | 'endedAt' | 'outputs' | 'error' | 'context' | 'tasks'>>,
    expect?: { status: ExecutionStatus; lease?: ExecutionLease },
    /**
     * An event telling of the change, stored in the same statement only when the write took; `stored`
     * gets it, and `execution` the execution's status as that statement saw it (a cancel or pause
     * noticed without a round trip of its own).
     */
    told?: { event: NewKilnEvent; stored: (event: KilnEvent) => void; execution?: (status: ExecutionStatus) => void },
  ): Promise<boolean>;
}

/** Who holds an execution, with the fencing token of that claim (a later claim has a larger one). */
export interface ExecutionLease {
  id: string;
  owner: string;
  token: number;
}

export interface Repositories {
  projects: ProjectRepository;
  applications: ApplicationRepository;
  accounts: AccountRepository;
  ciServers: CiServerRepository;
  serverGroups: ServerGroupRepository;
  instances: InstanceRepository;
  loadBalancers: LoadBalancerRepository;
  cloudProcesses: CloudProcessRepository;
  trafficGuards: TrafficGuardRepository;
  pipelines: PipelineRepository;
  executions: ExecutionRepository;
  executionLogs: ExecutionLogRepository;
  notifications: NotificationRepository;
  events: EventRepository;
  users: UserRepository;
  credentials: CredentialRepository;
  audit: AuditRepository;
  oidc: OidcRepository;
  /** The bakery's image registry and recipes. */
  images: ImageRepository;
  /** Where image versions were pushed (registry, manifest digest). */
  imagePushes: ImagePushRepository;
  /** Deploys' holds on the image versions they resolved, which a delete respects. */
  imageClaims: ImageClaimRepository;
  recipes: RecipeRepository;
  /** Launch records and durable results of job attempts. */
  jobRuns: JobRunRepository;
  search: SearchRepository;
  history: DeploymentHistoryRepository;
  /** Rollbacks asked for by hand, run and leased by the engine. */
  clusterOperations: ClusterOperationRepository;
  /** How far each registry trigger has read the registry's channel log. */
  registryCursors: RegistryCursorRepository;
  /** The pipelines bakes on demand run under, marked by Kiln. */
  bakeNowAnchors: BakeNowAnchorRepository;
}
