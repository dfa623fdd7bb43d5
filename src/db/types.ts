import type { Account } from '../shared/domain/account';
import type { Application, ApplicationSummary, NewApplication } from '../shared/domain/application';
import type { Instance } from '../shared/domain/instance';
import type { LoadBalancer } from '../shared/domain/load-balancer';
import type { NewProject, Project } from '../shared/domain/project';
import type { ServerGroup } from '../shared/domain/server-group';
import type { Pipeline, PipelineDraft } from '../shared/domain/pipeline';
import type { PipelineRevision } from '../shared/api/pipelines';
import type { EventFilter, KilnEvent, NewKilnEvent } from '../shared/api/events';

export type Driver = 'pglite' | 'postgres';

/** The one SQL surface Kiln uses; PostgreSQL dialect on both drivers. */
export interface Queryable {
  query<T extends Record<string, unknown> = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: T[]; rowCount: number }>;
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
}

export interface Database extends Session {
  close(): Promise<void>;
}

export interface ProjectRepository {
  list(): Promise<Project[]>;
  get(name: string): Promise<Project | undefined>;
  /** Throws ConflictError when the name is taken. */
  create(input: NewProject, options?: { demo?: boolean }): Promise<Project>;
}

export interface ApplicationRepository {
  list(filter?: { q?: string | undefined; project?: string | undefined }): Promise<ApplicationSummary[]>;
  get(name: string): Promise<ApplicationSummary | undefined>;
  /** Throws ConflictError when the name is taken, NotFoundError when the project does not exist. */
  create(input: NewApplication, options?: { demo?: boolean }): Promise<Application>;
}

export interface AccountRepository {
  list(): Promise<Account[]>;
  get(name: string): Promise<Account | undefined>;
  upsert(account: Account): Promise<void>;
}

export interface ServerGroupRepository {
  /** With instances embedded, newest sequence first. */
  listByApplication(application: string): Promise<ServerGroup[]>;
  get(key: { account: string; region: string; name: string }): Promise<ServerGroup | undefined>;
  /** Inserts or replaces the group and its instance set. */
  save(serverGroup: ServerGroup): Promise<void>;
}

export interface InstanceRepository {
  get(id: string): Promise<Instance | undefined>;
}

export interface LoadBalancerRepository {
  listByApplication(application: string): Promise<LoadBalancer[]>;
  /** The balancers whose targets include the server group. */
  listForServerGroup(key: { account: string; region: string; name: string }): Promise<LoadBalancer[]>;
  save(loadBalancer: LoadBalancer): Promise<void>;
}

export interface PipelineRepository {
  /** Newest revision of each, by name. */
  listByApplication(application: string): Promise<Pipeline[]>;
  get(id: string): Promise<Pipeline | undefined>;
  /** Revision 1. Throws ConflictError when the application already has a pipeline of that name. */
  create(draft: PipelineDraft, by: string): Promise<Pipeline>;
  /**
   * Stores the next revision if `baseRevision` is still the newest; throws RevisionConflictError
   * (carrying the current pipeline) otherwise. Undefined when the pipeline does not exist.
   */
  save(id: string, baseRevision: number, draft: PipelineDraft, by: string): Promise<Pipeline | undefined>;
  /** Every revision, newest first. */
  revisions(id: string): Promise<PipelineRevision[]>;
}

/** The append-only log behind the live event stream; ids only grow and are never reused. */
export interface EventRepository {
  /** Stores the event and returns it with its id and time. Appends are serialized (see events.ts). */
  append(event: NewKilnEvent): Promise<KilnEvent>;
  /** Events with id > afterId that match the filter, oldest first, at most `limit`. */
  after(afterId: number, filter: EventFilter, limit: number): Promise<KilnEvent[]>;
  /** The newest id, 0 when the log is empty. */
  latestId(): Promise<number>;
}

export interface Repositories {
  projects: ProjectRepository;
  applications: ApplicationRepository;
  accounts: AccountRepository;
  serverGroups: ServerGroupRepository;
  instances: InstanceRepository;
  loadBalancers: LoadBalancerRepository;
  pipelines: PipelineRepository;
  events: EventRepository;
}
