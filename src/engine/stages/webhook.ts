import type { z } from 'zod';
import type { webhookStage } from '../../shared/stages/webhook';
import { defineHandler, type StepInput } from './handler';

type Config = z.output<typeof webhookStage.config>;
const SOON_MS = 500;

const excerpt = (body: string) => (body.length > 300 ? `${body.slice(0, 300)}…` : body);
const parse = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
};
const field = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value);

function key(input: StepInput<Config>, what: string): string {
  return `${input.execution.id}/${input.stage.refId}/${input.stage.attempt}/${what}`;
}

/** A call whose process has not said it is alive for this long is taken as lost with its process. */
const CALL_HEARTBEAT_STALE_MS = 30_000;

export const webhookHandler = defineHandler<Config>({
  taskName: (context) => (context.phase === 'poll' ? 'Poll the status URL' : `Call ${String(context.url ?? 'the webhook')}`),
  async step(input) {
    const { config, resolve, stage, now, services } = input;
    const soon = new Date(now.getTime() + SOON_MS);
    const ctx = stage.context;
    const http = services.http;

    if (ctx.phase === undefined) {
      const url = String(resolve(config.url));
      const headers = Object.fromEntries(Object.entries(config.headers).map(([k, v]) => [k, String(resolve(v))]));
      const body = config.body === undefined ? undefined : String(resolve(config.body));
      const at = now.toISOString();
      const sent = { phase: 'call', url, sentAt: at, sentBy: services.owner, heartbeatAt: at };
      // The launch record first, in one compare-and-set with the lease: no other process sends it too.
      await services.recordLaunch({ ...sent, launchedAt: at });
      http.start(key(input, 'call'), { method: config.method, url, headers, body, timeoutSec: config.timeoutSec });
      return { status: 'RUNNING', wakeAt: soon, context: sent };
    }

    if (ctx.phase === 'call') {
      const call = http.status(key(input, 'call'));
      if (!call) {
        // Sent by a process that is gone (or before a restart): a webhook is not safe to send twice.
        if (now.getTime() - Date.parse(String(ctx.heartbeatAt)) < CALL_HEARTBEAT_STALE_MS) return { status: 'RUNNING', wakeAt: soon };
        return { status: 'FAILED', error: `Kiln stopped while ${String(ctx.url)} was being called; it was not called again (it may or may not have received the request)` };
      }
      if (call.state === 'running') return { status: 'RUNNING', wakeAt: soon, context: { heartbeatAt: now.toISOString() } };
      if (call.state === 'failed') return { status: 'FAILED', error: call.error };
      if (!config.successStatusCodes.includes(call.status)) {
        return { status: 'FAILED', error: `${config.method} ${String(ctx.url)} answered ${call.status} (success: ${config.successStatusCodes.join(', ')}): ${excerpt(call.body)}` };
      }
      // A cut answer is kept as text (its JSON would not parse) and says so, so nobody reads half a document as whole.
      const outputs = { statusCode: call.status, body: call.truncated ? call.body : parse(call.body), ...(call.truncated ? { truncated: true } : {}) };
      if (!config.poll) return { status: 'SUCCEEDED', outputs };
      return { status: 'RUNNING', wakeAt: now, context: { phase: 'poll', polls: 0, outputs, nextPollAt: now.toISOString() } };
    }

    // Polling a status URL: GETs are safe to repeat, so a restart simply polls again.
    const poll = config.poll!;
    const n = Number(ctx.polls ?? 0);
    const current = http.status(key(input, `poll-${n}`));
    if (!current) {
      if (now < new Date(String(ctx.nextPollAt))) return { status: 'RUNNING', wakeAt: new Date(String(ctx.nextPollAt)) };
      http.start(key(input, `poll-${n}`), { method: 'GET', url: String(resolve(poll.statusUrl)), headers: {}, timeoutSec: config.timeoutSec });
      return { status: 'RUNNING', wakeAt: soon };
    }
    if (current.state === 'running') return { status: 'RUNNING', wakeAt: soon };
    if (current.state === 'failed') return { status: 'FAILED', error: current.error };
    const value = String(field(parse(current.body), poll.statusField) ?? '');
    if (poll.successValues.includes(value)) {
      // The final status answer is usually where the result lives (a build's URL, a report): later stages read it.
      const response = { statusCode: current.status, body: current.truncated ? current.body : parse(current.body), ...(current.truncated ? { truncated: true } : {}) };
      return { status: 'SUCCEEDED', outputs: { ...(ctx.outputs as object), status: value, polls: n + 1, response } };
    }
    if (poll.failureValues.includes(value)) return { status: 'FAILED', error: `status ${poll.statusField} is '${value}' after ${n + 1} poll${n === 0 ? '' : 's'}` };
    const next = new Date(now.getTime() + poll.intervalSec * 1000);
    return { status: 'RUNNING', wakeAt: next, context: { polls: n + 1, nextPollAt: next.toISOString(), lastStatus: value } };
  },
});
