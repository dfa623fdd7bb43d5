import type { FastifyInstance, FastifyReply } from 'fastify';
import { canRead } from '../auth/visibility';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { EventCursor, LAST_EVENT_ID_HEADER, streamEvents, type EventFilter, type KilnEvent } from '../../shared/api/events';
import type { Repositories } from '../../db/types';
import type { EventBus } from '../../engine/events/event-bus';
import { HttpError } from '../plugins/error-handler';

export interface SseOptions {
  /** How often an idle stream sends `: keep-alive`, so proxies and browsers keep it open. */
  heartbeatMs?: number;
  /** How often a stream re-reads the log anyway, to see events other Kiln processes published. */
  pollMs?: number;
  /** Events read from the database per query while catching up. */
  pageSize?: number;
}

const DEFAULTS = { heartbeatMs: 15_000, pollMs: 1_000, pageSize: 200 } satisfies Required<SseOptions>;

export const formatEvent = (event: KilnEvent): string =>
  `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

/** Last-Event-ID wins over `after` (an EventSource sends it on reconnect and keeps the original URL). */
function resumePoint(header: string | string[] | undefined, after: number | undefined): number | undefined {
  if (header === undefined) return after;
  const parsed = EventCursor.safeParse(Array.isArray(header) ? header[0] : header);
  if (!parsed.success)
    throw new HttpError(400, 'bad_request', `header 'Last-Event-ID': ${parsed.error.issues[0]?.message ?? 'is invalid'}`, 'Last-Event-ID');
  return parsed.data;
}

/**
 * One client's stream. Every write comes from reading the log by id after the last id sent, so
 * nothing is skipped or sent twice whatever notifications arrive, in whatever order. Only one read
 * runs at a time; a notification during a read just asks for another.
 */
/** `visible` drops events of applications the user may not read (their ids still advance the stream). */
function openStream(
  reply: FastifyReply,
  repos: Repositories,
  filter: EventFilter,
  from: number,
  options: Required<SseOptions>,
  visible: (event: { application?: string | undefined }) => boolean,
) {
  const raw = reply.raw;
  let lastId = from;
  let reading = false;
  let again = false;
  let blocked = false;
  let closed = false;

  const pump = async (): Promise<void> => {
    if (closed || blocked) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      let full = true;
      while (!closed && !blocked && (full || again)) {
        again = false;
        const page = await repos.events.after(lastId, filter, options.pageSize);
        full = page.length === options.pageSize;
        for (const event of page) {
          if (closed) return;
          lastId = event.id;
          if (!visible(event)) continue;
          // false = the socket buffer is full: the message is queued, later ones wait for 'drain'
          // and are read from the log then, so a slow client costs memory for one page at most.
          if (!raw.write(formatEvent(event))) {
            blocked = true;
            raw.once('drain', () => {
              blocked = false;
              void pump();
            });
            break;
          }
        }
      }
    } catch (err) {
      // The next notification or poll tick retries from lastId, so nothing is lost.
      if (!closed) reply.log.warn({ err }, 'event stream: reading the event log failed');
    } finally {
      reading = false;
    }
  };

  const poll = setInterval(() => void pump(), options.pollMs);
  const heartbeat = setInterval(() => {
    if (!blocked && !closed) raw.write(': keep-alive\n\n');
  }, options.heartbeatMs);

  return {
    pump,
    cleanup(): void {
      closed = true;
      clearInterval(poll);
      clearInterval(heartbeat);
    },
    end(): void {
      closed = true;
      // A client that stopped reading would keep end() from finishing, and with it server.close().
      if (raw.writableNeedDrain) raw.destroy();
      else raw.end();
    },
  };
}

export function eventRoutes(app: FastifyInstance, repos: Repositories, bus: EventBus, sse: SseOptions = {}): void {
  const options = { ...DEFAULTS, ...sse };
  const open = new Set<{ end: () => void }>();

  // preClose, not onClose: server.close() waits for open responses, and runs before onClose hooks.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  app.withTypeProvider<ZodTypeProvider>().route({
    method: 'GET',
    url: streamEvents.path,
    schema: { summary: streamEvents.summary, querystring: streamEvents.query, produces: ['text/event-stream'] },
    handler: async (request, reply) => {
      const query = request.query as z.output<typeof streamEvents.query>;
      const filter: EventFilter = { application: query.application, executionId: query.execution };
      const from = resumePoint(request.headers[LAST_EVENT_ID_HEADER], query.after) ?? (await repos.events.latestId());

      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
        connection: 'keep-alive',
      });
      reply.raw.flushHeaders();

      const stream = openStream(reply, repos, filter, from, options, (event) => event.application === undefined || canRead(request, event.application));
      // Subscribe before the first read: an event stored meanwhile is then either read or notified.
      const unsubscribe = bus.subscribe(filter, () => void stream.pump());
      const entry = { end: () => stream.end() };
      open.add(entry);
      reply.raw.once('close', () => {
        unsubscribe();
        stream.cleanup();
        open.delete(entry);
      });
      await stream.pump();
    },
  });
}
