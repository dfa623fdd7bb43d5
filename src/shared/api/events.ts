import { z } from 'zod';
import { endpoint } from './endpoint';
import { ExecutionId, ExecutionStatus } from '../domain/execution';
import { Timestamp } from '../domain/ids';
import { ApplicationName, ClusterName } from '../domain/names';
import { ClusterOperationId, ClusterOperationState, ClusterOperationStepName } from '../domain/cluster-operation';

/**
 * The position in the event log: bigserial ids, so they only grow. 0 means "before the first event".
 * Text on the wire (query string, Last-Event-ID header), a number everywhere else.
 */
export const EventId = z.number().int().nonnegative();

/** An event id as text: the `after` query parameter and the `Last-Event-ID` header mean the same thing. */
export const EventCursor = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a non-negative integer event id')
  .transform(Number);

const envelope = {
  id: EventId,
  application: ApplicationName.optional(),
  executionId: ExecutionId.optional(),
  at: Timestamp,
};

const event = <T extends string, D extends z.ZodType>(type: T, data: D) => z.object({ ...envelope, type: z.literal(type), data });

const StageRef = z.string().min(1);

export const ExecutionCreatedEvent = event(
  'execution.created',
  z.object({ pipelineId: z.string().optional(), pipelineName: z.string().optional(), trigger: z.string().optional() }),
);
export const ExecutionStatusEvent = event('execution.status', z.object({ status: ExecutionStatus, previous: ExecutionStatus.optional() }));
export const StageStatusEvent = event('stage.status', z.object({ refId: StageRef, status: ExecutionStatus, previous: ExecutionStatus.optional(), error: z.string().optional() }));
export const LogLinesEvent = event(
  'log.lines',
  /** firstSeq: the sequence number of lines[0] in the stage's log, so a client can place and de-duplicate lines. */
  z.object({ refId: StageRef, firstSeq: z.number().int().nonnegative(), lines: z.array(z.string()) }),
);
export const JudgmentRecordedEvent = event(
  'judgment.recorded',
  z.object({
    refId: StageRef,
    decision: z.enum(['approve', 'reject']),
    by: z.string(),
    comment: z.string().optional(),
    /** The input option the judge chose (manualJudgment inputOptions). */
    input: z.string().optional(),
  }),
);

/** A cluster operation (a rollback) was asked for or moved on a step; the dashboard refetches it and the clusters. */
export const ClusterOperationEvent = event(
  'cluster.operation',
  z.object({ operationId: ClusterOperationId, kind: z.literal('rollback'), cluster: ClusterName, state: ClusterOperationState, step: ClusterOperationStepName.optional() }),
);

const EVENTS = [ExecutionCreatedEvent, ExecutionStatusEvent, StageStatusEvent, LogLinesEvent, JudgmentRecordedEvent, ClusterOperationEvent] as const;

/**
 * One message of GET /api/events. A keep-alive is an SSE comment (`: keep-alive`), not an event,
 * so it never takes an id and never moves a client's resume point.
 */
export const KilnEvent = z.discriminatedUnion('type', EVENTS);
export type KilnEvent = z.infer<typeof KilnEvent>;
export type KilnEventType = KilnEvent['type'];

/**
 * An event before it is stored: the log assigns the id and the time. The input type (names and ids
 * unbranded) because append parses it with KilnEvent anyway.
 */
type WithoutStored<T> = T extends unknown ? Omit<T, 'id' | 'at'> : never;
export type NewKilnEvent = WithoutStored<z.input<typeof KilnEvent>>;

/** Which events a subscriber wants; an absent field matches everything. */
export interface EventFilter {
  application?: string | undefined;
  executionId?: string | undefined;
}

export function matchesFilter(event: Pick<KilnEvent, 'application' | 'executionId'>, filter: EventFilter): boolean {
  return (filter.application === undefined || event.application === filter.application) && (filter.executionId === undefined || event.executionId === filter.executionId);
}

export const EventsQuery = z.object({
  application: ApplicationName.optional(),
  execution: ExecutionId.optional(),
  /** Same meaning as Last-Event-ID (which wins when both are sent): deliver events with a greater id. */
  after: EventCursor.optional(),
});

/**
 * The live stream (text/event-stream). Each message is `id: N`, `event: <type>`, `data: <KilnEvent json>`.
 * Without a resume point only events newer than the connection are sent. `response` describes one
 * message's data; the route is registered directly on fastify because the body is a stream.
 */
export const streamEvents = endpoint({
  method: 'GET',
  path: '/api/events',
  summary: 'Live events as Server-Sent Events; resumes after Last-Event-ID with no gap and no duplicate',
  query: EventsQuery,
  response: KilnEvent,
});

/** The header an EventSource sends on reconnect. */
export const LAST_EVENT_ID_HEADER = 'last-event-id';
