import type { HistoryEntry } from '../shared/domain/deployment-history';
import type { SearchHit } from '../shared/domain/search';
import type { ApiToken, AuditEntry, Me, Role, User } from '../shared/domain/user';
import type { Account, AccountCredentials } from '../shared/domain/account';
import type { CiServer } from '../shared/domain/ci-server';
import type { Application, ApplicationSummary, NewApplication } from '../shared/domain/application';
import type { Instance } from '../shared/domain/instance';
import type { LoadBalancer } from '../shared/domain/load-balancer';
import type { NewProject, Project } from '../shared/domain/project';
import type { ServerGroup } from '../shared/domain/server-group';
import type { Pipeline, PipelineDraft } from '../shared/domain/pipeline';
import type { Execution, ExecutionStatus, StageExecution } from '../shared/domain/execution';
import type { PipelineRevision } from '../shared/api/pipelines';
import type { EventFilter, KilnEvent, NewKilnEvent } from '../shared/api/events';
import type { ImageRepository } from './repositories/images';
import type { ImagePushRepository } from './repositories/image-pushes';
import type { RecipeRepository } from './repositories/recipes';
import type { JobRunRepository } from './repositories/job-runs';
import type { ClusterOperationRepository } from './repositories/cluster-operations';

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

export interface ProjectRepository {
  list(): Promise<Project[]>;
  get(name: string): Promise<Project | undefined>;
  /** Throws ConflictError when the name is taken. */
  create(input: NewProject, options?: { demo?: boolean }): Promise<Project>;
  update(name: string, patch: { displayName?: string | undefined; description?: string | undefined; ownerEmail?: string | undefined }): Promise<Project | undefined>;
  /** Deletes an empty project only; false when it does not exist or still has applications. */
  delete(name: string): Promise<boolean>;
}

export interface ApplicationRepository {
  list(filter?: { q?: string | undefined; project?: string | undefined }): Promise<ApplicationSummary[]>;
  get(name: string): Promise<ApplicationSummary | undefined>;
  /** Throws ConflictError when the name is taken, NotFoundError when the project does not exist. */
  create(input: NewApplication, options?: { demo?: boolean }): Promise<Application>;
  update(name: string, patch: { description?: string | undefined; ownerEmail?: string | undefined }): Promise<Application | undefined>;
  /** What keeps an application from being deleted: its pipelines, server groups, load balancers (as account/region/name) and past executions. */
  dependents(name: string): Promise<{ pipelines: string[]; serverGroups: string[]; loadBalancers: string[]; executions: number }>;
  delete(name: string): Promise<boolean>;
}

export interface AccountRepository {
  list(): Promise<Account[]>;
  get(name: string): Promise<Account | undefined>;
  upsert(account: Account): Promise<void>;
  /** Throws ConflictError when the name is taken. */
  create(account: Account, credentials: AccountCredentials | undefined, stamp: { at: string; by: string }): Promise<Account>;
  /** Replaces (or with null removes) the stored credentials, stamped with who and when. */
  setCredentials(name: string, credentials: AccountCredentials | null, stamp: { at: string; by: string }): Promise<void>;
  /** The write-only secrets, for the engine's calls to the account; never for an HTTP answer. */
  credentials(name: string): Promise<AccountCredentials | undefined>;
  /** False when it did not exist. */
  remove(name: string): Promise<boolean>;
  /** `region/name` of every server group recorded in the account. */
  serverGroupsIn(name: string): Promise<string[]>;
}

/** CI servers pipelines start builds on; the token is write-only. */
export interface CiServerRepository {
  list(): Promise<CiServer[]>;
  get(name: string): Promise<CiServer | undefined>;
  /** Throws ConflictError when the name is taken. */
  create(server: CiServer, token: string | undefined, stamp: { at: string; by: string }): Promise<CiServer>;
  /** Changes the URL and user name (never the token). */
  update(server: CiServer): Promise<void>;
  /** Replaces (or with null removes) the token, stamped with who and when. */
  setToken(name: string, token: string | null, stamp: { at: string; by: string }): Promise<void>;
  /** The write-only token, for the engine's calls; never for an HTTP answer. */
  token(name: string): Promise<string | undefined>;
  remove(name: string): Promise<boolean>;
}

export interface ServerGroupRepository {
  /** With instances embedded, newest sequence first. */
  listByApplication(application: string): Promise<ServerGroup[]>;
  get(key: { account: string; region: string; name: string }): Promise<ServerGroup | undefined>;
  /** Inserts or replaces the group and its instance set. */
  save(serverGroup: ServerGroup): Promise<void>;
  /** Every group a provider runs (the local cloud reconciles them at start). */
  listManaged(provider: 'local' | 'docker' | 'qemu' | 'kubernetes'): Promise<ServerGroup[]>;
  /** Removes the group and its instances; false when it did not exist. */
  delete(key: ServerGroupKeyRef): Promise<boolean>;
}

export type ServerGroupKeyRef = { account: string; region: string; name: string };

/** The child process behind one local-cloud instance. */
export interface CloudProcess {
  instanceId: string;
  account: string;
  region: string;
  serverGroup: string;
  pid: number;
  port: number;
  workDir: string;
}

export interface CloudProcessRepository {
  record(process: CloudProcess): Promise<void>;
  /** This Kiln's id (one per database): the container provider labels its containers with it. */
  installationId(): Promise<string>;
  forget(instanceId: string): Promise<void>;
  list(): Promise<CloudProcess[]>;
  /**
   * Takes or renews the lease to run the local cloud; false while another owner holds an unexpired
   * one, unless it is `takeFrom` (a holder known to be dead).
   */
  acquireLease(owner: string, ttlMs: number, takeFrom?: string, lease?: string): Promise<boolean>;
  leaseHolder(lease?: string): Promise<string | undefined>;
  releaseLease(owner: string, lease?: string): Promise<void>;
}

/** Clusters whose last enabled server group may not be disabled or destroyed. */
export interface TrafficGuardRepository {
  isProtected(account: string, cluster: string): Promise<boolean>;
  set(guard: { application: string; account: string; cluster: string }, on: boolean): Promise<void>;
  list(application: string): Promise<Array<{ account: string; cluster: string }>>;
}

export interface InstanceRepository {
  get(id: string): Promise<Instance | undefined>;
}

export interface LoadBalancerRepository {
  listByApplication(application: string): Promise<LoadBalancer[]>;
  /** The balancers whose targets include the server group. */
  listForServerGroup(key: { account: string; region: string; name: string }): Promise<LoadBalancer[]>;
  save(loadBalancer: LoadBalancer): Promise<void>;
  get(key: ServerGroupKeyRef): Promise<LoadBalancer | undefined>;
  listManaged(provider: 'local' | 'docker' | 'qemu' | 'kubernetes'): Promise<LoadBalancer[]>;
}

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
   * id below one already returned.
   */
  after(afterId: number, filter: EventFilter, limit: number): Promise<KilnEvent[]>;
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
  create(execution: Execution, concurrency?: { max: number; keepWaiting: boolean }): Promise<{ status: ExecutionStatus; superseded: string[] }>;
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
  /** Makes an execution due now (a judgment arrived, a person acted). */
  wake(id: string): Promise<void>;
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
  ): Promise<boolean>;
}

export interface ExecutionLogRepository {
  /**
   * Stores lines as one chunk; returns the sequence number of the first line and the bytes stored.
   * `cursor` says where the chunk ends in the source the lines were read from (opaque here).
   */
  append(executionId: string, refId: string, lines: readonly string[], cursor?: string): Promise<{ firstSeq: number; bytes: number }>;
  /** The cursor of the stage's newest chunk that has one: where to resume reading its source. */
  lastCursor(executionId: string, refId: string): Promise<string | undefined>;
  /**
   * Lines with seq > after (default 0), oldest first, at most `limit`; with `before`, the last
   * `limit` lines below it (the tail of the log when `before` is past its end). `at` is when the
   * line was stored.
   */
  read(
    executionId: string,
    page: { refId?: string | undefined; after?: number; before?: number | undefined; limit: number },
  ): Promise<Array<{ seq: number; refId: string; line: string; at: string }>>;
  /** How many lines (of one stage, or all) have seq < before: where a page starts in the whole log. */
  countBefore(executionId: string, refId: string | undefined, before: number): Promise<number>;
  /** Bytes stored for one stage (for the per-stage cap). */
  bytes(executionId: string, refId: string): Promise<number>;
}

export interface NewNotification {
  /** Same key, same notification: enqueueing again (a retry after a crash) adds nothing. */
  dedupeKey: string;
  executionId: string;
  application: string;
  event: string;
  url: string;
  payload: Record<string, unknown>;
  /** First attempt at (the engine's clock, not the database's). */
  at: string;
}

export interface StoredNotification extends Omit<NewNotification, 'dedupeKey' | 'at'> {
  id: number;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string;
  deliveredAt?: string;
  failedAt?: string;
  lastError?: string;
}

export interface NotificationRepository {
  /** Returns how many were new. */
  enqueue(items: readonly NewNotification[]): Promise<number>;
  /** Leases up to `limit` notifications due for a delivery attempt. */
  claimDue(now: Date, leaseMs: number, limit: number): Promise<StoredNotification[]>;
  delivered(id: number, at: Date, attempts: number): Promise<void>;
  /** `retryAt` null: give up (failed for good). */
  attemptFailed(id: number, error: string, attempts: number, retryAt: Date | null, at: Date): Promise<void>;
  forExecution(executionId: string): Promise<StoredNotification[]>;
}

export interface UserRepository {
  get(name: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  /** The argon2 hash; undefined for an unknown user or one without a password. */
  passwordHash(name: string): Promise<string | undefined>;
  me(name: string): Promise<Me | undefined>;
  /** Throws ConflictError when the name is taken. */
  create(input: { name: string; displayName: string; passwordHash: string; admin: boolean; createdAt: string }): Promise<User>;
  /** Throws NotFoundError for an unknown user (or role in `roles`). */
  update(name: string, patch: { displayName?: string; passwordHash?: string; admin?: boolean; disabled?: boolean; roles?: string[] }): Promise<User>;
  countAdmins(): Promise<number>;
  roles(): Promise<Role[]>;
  role(name: string): Promise<Role | undefined>;
  /** Creates or replaces the role with exactly these members and grants. */
  saveRole(role: Role): Promise<Role>;
  deleteRole(name: string): Promise<boolean>;
}

export interface CredentialRepository {
  createSession(s: { idHash: string; userName: string; createdAt: string; expiresAt: string; ip?: string; userAgent?: string }): Promise<void>;
  /** The live session's user; undefined when unknown or expired. A read: touchSession marks it seen. */
  findSession(idHash: string, now: Date): Promise<{ userName: string; expiresAt: string } | undefined>;
  /** Records that the session was seen at `at` (never moves the time backwards). */
  touchSession(idHash: string, at: Date): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  deleteSessionsOf(userName: string): Promise<void>;
  createToken(t: { id: string; userName: string; name: string; prefix: string; tokenHash: string; createdAt: string; expiresAt?: string }): Promise<void>;
  /** A token that is neither revoked nor expired. A read: touchToken marks it used. */
  findToken(tokenHash: string, now: Date): Promise<{ id: string; userName: string; expiresAt?: string } | undefined>;
  /** Records that the token was used at `at` (never moves the time backwards). */
  touchToken(id: string, at: Date): Promise<void>;
  tokens(userName: string): Promise<ApiToken[]>;
  revokeToken(id: string, userName: string, now: Date): Promise<boolean>;
  createSetupToken(tokenHash: string, now: Date, expiresAt: Date): Promise<void>;
  /** True once per unexpired token. */
  useSetupToken(tokenHash: string, now: Date): Promise<boolean>;
}

/** Single sign-on: provider accounts linked to users, and sign-ins waiting for the provider's answer. */
export interface OidcRepository {
  saveLogin(login: { flowHash: string; state: string; nonce: string; codeVerifier: string; returnTo: string; createdAt: string; expiresAt: string }): Promise<void>;
  /** The waiting sign-in, removed as it is read; undefined when unknown, used or expired. */
  takeLogin(flowHash: string, now: Date): Promise<{ state: string; nonce: string; codeVerifier: string; returnTo: string } | undefined>;
  userOf(issuer: string, subject: string): Promise<string | undefined>;
  /** Whether the user signs in through the provider (and so has no password of their own). */
  isManaged(userName: string): Promise<boolean>;
  /** Creates the user (create: true) or takes over the local one; ConflictError when the name is taken. */
  link(identity: { issuer: string; subject: string; userName: string; displayName: string; create: boolean; at: string }): Promise<void>;
  touch(issuer: string, subject: string, at: string): Promise<void>;
}

export interface AuditRepository {
  append(entry: Omit<AuditEntry, 'id'>): Promise<void>;
  /** Newest first; `before` is an id to page from. */
  list(filter: { actor?: string | undefined; action?: string | undefined; q?: string | undefined; before?: number | undefined; limit: number }): Promise<AuditEntry[]>;
}

/** Who holds an execution, with the fencing token of that claim (a later claim has a larger one). */
export interface ExecutionLease {
  id: string;
  owner: string;
  token: number;
}

/** The top bar's search across kinds, limited to the applications given (what the caller may read). */
export interface SearchRepository {
  search(q: string, applications: readonly string[], limit: number): Promise<SearchHit[]>;
}

/** Every server group ever created, kept after it is destroyed. */
export interface DeploymentHistoryRepository {
  list(filter: {
    applications: readonly string[];
    application?: string | undefined;
    account?: string | undefined;
    cluster?: string | undefined;
    environment?: string | undefined;
    at?: string | undefined;
    limit: number;
  }): Promise<HistoryEntry[]>;
  /** Stamps who destroyed a group through the API (a stage's destroys are read from its execution). */
  destroyedBy(key: { account: string; region: string; name: string }, by: string): Promise<void>;
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
  recipes: RecipeRepository;
  /** Launch records and durable results of job attempts. */
  jobRuns: JobRunRepository;
  search: SearchRepository;
  history: DeploymentHistoryRepository;
  /** Rollbacks asked for by hand, run and leased by the engine. */
  clusterOperations: ClusterOperationRepository;
}
