import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canRead } from '../auth/visibility';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { EventCursor, LAST_EVENT_ID_HEADER, streamEvents, type EventFilter } from '../../shared/api/events';
import type { Repositories } from '../../db/types';
import type { EventBus } from '../../engine/index';
import { HttpError } from '../plugins/error-handler';
import { createEventHub } from './event-hub';
import type { HubOptions, SseSink } from './sse-sink';
import { formatEvent } from './sse-frames';
import { sweepRights, type WatchedStream } from './rights-sweep';

export interface SseOptions extends Partial<Omit<HubOptions, 'heartbeatMs' | 'pollMs' | 'pageSize'>> {
  /** How often an idle stream sends `: keep-alive`, so proxies and browsers keep it open. */
  heartbeatMs?: number;
  /** How often a stream re-reads the log anyway, to see events other Kiln processes published. */
  pollMs?: number;
  /** Events read from the database per query while catching up. */
  pageSize?: number;
  /**
   * How often open streams ask again who their credential names: a stream whose token was revoked,
   * whose user was disabled or whose grants changed is ended (its client reconnects and is asked again,
   * so it gets a 401 or the events its new grants allow), instead of serving what it was once allowed.
   */
  authRecheckMs?: number;
}

const DEFAULTS = { heartbeatMs: 15_000, pollMs: 1_000, pageSize: 200, bufferSize: 2_000, slowClientMs: 30_000, authRecheckMs: 2_000 } satisfies Required<SseOptions>;

export { formatEvent };

/**
 * Streams whose readers may see exactly the same events share one filtered frame per batch. The key
 * is everything `can` decides READ by (disabled, admin, the grants), so two streams share only
 * when the rule cannot tell their readers apart; a reader whose grants changed gets a key of its own.
 */
function readScope(me: FastifyRequest['me']): string {
  if (!me || me.user.disabled) return 'nobody';
  if (me.user.admin) return 'admin';
  // Whole grants, whatever fields they gain: a key that says too much only shares less.
  return `grants:${JSON.stringify(me.grants)}`;
}

/** Last-Event-ID wins over `after` (an EventSource sends it on reconnect and keeps the original URL). */
function resumePoint(header: string | string[] | undefined, after: number | undefined): number | undefined {
  if (header === undefined) return after;
  const parsed = EventCursor.safeParse(Array.isArray(header) ? header[0] : header);
  if (!parsed.success) throw new HttpError(400, 'bad_request', `header 'Last-Event-ID': ${parsed.error.issues[0]?.message ?? 'is invalid'}`, 'Last-Event-ID');
  return parsed.data;
}

export function eventRoutes(app: FastifyInstance, repos: Repositories, bus: EventBus, sse: SseOptions = {}): void {
  const options = { ...DEFAULTS, ...sse };
  const open = new Set<WatchedStream>();
  const hub = createEventHub(repos, bus, options);

  // One sweep for every open stream, one check per credential (rights-sweep.ts).
  let sweeping = false;
  const recheck = setInterval(() => {
    if (sweeping || open.size === 0) return;
    sweeping = true;
    void sweepRights(open, (request) => app.meNow(request), readScope).finally(() => (sweeping = false));
  }, options.authRecheckMs);
  recheck.unref();

  // preClose, not onClose: server.close() waits for open responses, and runs before onClose hooks.
  app.addHook('preClose', async () => {
    clearInterval(recheck);
    for (const stream of open) stream.end();
  });

  app.withTypeProvider<ZodTypeProvider>().route({
    method: 'GET',
    url: streamEvents.path,
    schema: { summary: streamEvents.summary, querystring: streamEvents.query, produces: ['text/event-stream'] },
    handler: async (request, reply) => {
      const query = request.query as z.output<typeof streamEvents.query>;
      const filter: EventFilter = { application: query.application, executionId: query.execution };
      const from = resumePoint(request.headers[LAST_EVENT_ID_HEADER], query.after) ?? hub.latest(filter) ?? (await repos.events.latestId());
      // HEAD (Fastify's automatic twin of this GET) has no body to stream: answer the headers and end.
      if (request.method === 'HEAD') return reply.type('text/event-stream; charset=utf-8').header('cache-control', 'no-cache').send();

      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
        'x-content-type-options': 'nosniff',
        connection: 'keep-alive',
      });
      reply.raw.flushHeaders();

      const raw = reply.raw;
      const socket = raw.socket;
      // Messages go to the socket as ready-made chunks (encoded once per event for every client)
      // rather than through the response, which frames and encodes each write for each client and
      // defers its flush to another tick. An HTTP/1.0 client gets no chunked body: plain text then.
      const chunked = raw.chunkedEncoding;
      const sink: SseSink = {
        write: (text, chunk) => (socket ? socket.write(chunked ? chunk : text) : raw.write(text)),
        once: (event, listener) => (socket ?? raw).once(event, listener),
        removeListener: (event, listener) => (socket ?? raw).removeListener(event, listener),
        destroy: () => raw.destroy(),
      };
      // Every client of one filter shares the hub's single reader of the event log; `visible` drops
      // events of applications this user may not read (their ids still advance the stream).
      const scope = readScope(request.me);
      const unsubscribe = hub.subscribe(
        filter,
        from,
        sink,
        (event) => event.application === undefined || canRead(request, event.application),
        (err) => reply.log.warn({ err }, 'event stream: reading the event log failed'),
        scope,
      );
      const entry = {
        request,
        scope,
        end: () => {
          unsubscribe();
          // A client that stopped reading would keep end() from finishing, and with it server.close().
          if (raw.writableNeedDrain || socket?.writableNeedDrain) raw.destroy();
          else raw.end();
        },
      };
      open.add(entry);
      const gone = () => {
        unsubscribe();
        open.delete(entry);
      };
      raw.once('close', gone);
      // The client may have left while the resume point was read; its 'close' has then been and gone.
      if (raw.socket?.destroyed ?? true) gone();
    },
  });
}
