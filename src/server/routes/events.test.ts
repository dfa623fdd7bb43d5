import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { KilnEvent, type NewKilnEvent } from '../../shared/api/events';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import { createEventBus, type EventBus } from '../../engine/events/event-bus';
import { buildApp } from '../app';
import { createToken } from '../auth/sessions';
import { connectSse, type SseConnection, type SseMessage } from '../test-sse-client';

const EXEC = '3f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';

let test: TestDatabase;
let bus: EventBus;
let app: FastifyInstance;
let base: string;
const connections: SseConnection[] = [];

beforeEach(async () => {
  test = await openTestDatabase();
  bus = createEventBus(test.repos);
  // slowClientMs: a client that reads is never cut off, even on a machine so loaded that it drains a
  // 40 KB event more than a second late (seen at load 25 on 2 cores, before and after batching).
  app = await buildApp({
    db: test.db,
    repos: test.repos,
    version: '0.0.0-test',
    events: bus,
    sse: { heartbeatMs: 100, pollMs: 200, pageSize: 25, slowClientMs: 5_000, authRecheckMs: 100 },
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  await test.repos.users.create({ name: 'ana', displayName: 'Ana', passwordHash: 'unused', admin: true, createdAt: new Date().toISOString() });
  token = (await createToken(test.repos, 'ana', 'sse tests', new Date())).secret;
});
afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  await app.close();
  await test.close();
});

let token = '';
const connect = async (path: string, headers: Record<string, string> = {}) => {
  const c = await connectSse(`${base}${path}`, { authorization: `Bearer ${token}`, ...headers });
  connections.push(c);
  return c;
};
const events = (messages: SseMessage[]) => messages.filter((m) => m.id !== undefined);
const stage = (application: string, refId: string): NewKilnEvent => ({
  type: 'stage.status',
  application,
  executionId: EXEC,
  data: { refId, status: 'RUNNING', previous: 'NOT_STARTED' },
});

describe('GET /api/events (SSE)', () => {
  it('streams new events of the requested application, in id order, with keep-alives', async () => {
    await bus.publish(stage('web', 'before-connect'));
    const c = await connect('/api/events?application=web');
    expect(c.status).toBe(200);
    expect(c.contentType).toMatch(/^text\/event-stream/);

    await bus.publish({ type: 'execution.created', application: 'web', executionId: EXEC, data: { pipelineName: 'ship' } });
    await bus.publish(stage('billing', 'elsewhere'));
    await bus.publish(stage('web', 'deploy'));
    await bus.publish({ type: 'log.lines', application: 'web', executionId: EXEC, data: { refId: 'deploy', firstSeq: 0, lines: ['hi'] } });
    await c.waitFor((m) => events(m).length >= 3, '3 events');
    await c.waitFor((m) => m.some((x) => x.comment === 'keep-alive'), 'a keep-alive');

    const received = events(c.messages);
    expect(received.map((m) => m.event)).toEqual(['execution.created', 'stage.status', 'log.lines']);
    const ids = received.map((m) => m.id!);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const parsed = received.map((m) => KilnEvent.parse(JSON.parse(m.data!)));
    expect(parsed.map((e) => e.id)).toEqual(ids);
    expect(parsed.every((e) => e.application === 'web')).toBe(true);
    expect(parsed[1]).toMatchObject({ data: { refId: 'deploy' } });
  });

  it('resumes after Last-Event-ID with nothing lost and nothing repeated', async () => {
    const first = await connect('/api/events');
    const received: number[] = [];
    let cut = 0;
    const publishing = (async () => {
      for (let i = 0; i < 200; i += 1) await bus.publish(stage(i % 2 ? 'web' : 'billing', `s${i}`));
    })();
    await first.waitFor((m) => events(m).length >= 80, '80 events', 20_000);
    first.close();
    // Whatever arrived before the disconnect counts as received; the rest is in flight and dropped.
    received.push(...events(first.messages).map((m) => m.id!));
    cut = received.at(-1)!;
    await publishing;
    for (let i = 0; i < 30; i += 1) await bus.publish(stage('web', `after${i}`));

    const latest = await test.repos.events.latestId();
    expect(cut).toBeLessThan(latest);
    const second = await connect('/api/events', { 'last-event-id': String(cut) });
    await second.waitFor((m) => events(m).at(-1)?.id === latest, `event ${latest}`, 20_000);
    received.push(...events(second.messages).map((m) => m.id!));

    const stored = (await test.repos.events.after(0, {}, 1000)).map((e) => e.id);
    expect(stored).toHaveLength(230);
    expect(new Set(received).size).toBe(received.length);
    expect(received).toEqual(stored);
  });

  it('keeps a reading client whole while another stops reading, and the stalled one gets a gapless prefix, cut off or caught up', async () => {
    // A client that stops reading after the headers (a frozen tab, a stalled proxy): only the kernel's buffers hold its data.
    const stalled = net.connect(Number(new URL(base).port), '127.0.0.1');
    stalled.write(`GET /api/events?execution=${EXEC} HTTP/1.1\r\nHost: kiln\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    let stalledText = '';
    await new Promise<void>((resolve) => stalled.once('data', (chunk) => ((stalledText += chunk.toString()), stalled.pause(), resolve())));
    const reading = await connect(`/api/events?execution=${EXEC}`);

    // 150 events of 40 KB while the stalled socket is not read.
    const lines = Array.from({ length: 200 }, (_, i) => `${String(i).padStart(4, '0')} ${'x'.repeat(195)}`);
    const published: number[] = [];
    for (let i = 0; i < 150; i += 1)
      published.push((await bus.publish({ type: 'log.lines', application: 'web', executionId: EXEC, data: { refId: 'build', firstSeq: i * 200, lines } })).id);
    await reading.waitFor((m) => events(m).at(-1)?.id === published.at(-1), 'the last event', 30_000);
    expect(events(reading.messages).map((m) => m.id)).toEqual(published);

    // Whether the stalled client was cut off depends on how much the kernel buffers for it (Linux grows
    // a loopback socket's buffers to tens of MB): cut off (its EventSource reconnects with Last-Event-ID)
    // or caught up when it reads again, what it got is the events in order, none skipped or repeated.
    // That a client whose socket stays full is closed is proven in event-hub.test.ts with a sink that stays full.
    const last = `id: ${published.at(-1)}\n`;
    const done = new Promise<void>((resolve) => {
      stalled.once('close', () => resolve());
      stalled.on('data', (chunk) => {
        stalledText += chunk.toString();
        if (stalledText.includes(last)) resolve();
      });
    });
    stalled.resume();
    await done;
    stalled.destroy();
    const got = [...stalledText.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(published.slice(0, got.length));
  }, 60_000);

  it('a narrow-role reader never receives an event of an application it cannot read, whoever shares its stream', async () => {
    // Kim may read `web` only; Lee may read nothing; Ana (admin) reads all. Same topic, same batches.
    for (const [name, grants] of [
      ['kim', [{ resourceType: 'application', resource: 'web', permission: 'READ' }]],
      ['lee', []],
    ] as const) {
      await test.repos.users.create({ name, displayName: name, passwordHash: 'unused', admin: false, createdAt: new Date().toISOString() });
      await test.repos.users.saveRole({ name: `${name}-role`, description: '', members: [name], grants: [...grants] });
    }
    const kimToken = (await createToken(test.repos, 'kim', 'sse', new Date())).secret;
    const leeToken = (await createToken(test.repos, 'lee', 'sse', new Date())).secret;
    const admin = await connect('/api/events');
    const kims = [await connect('/api/events', { authorization: `Bearer ${kimToken}` }), await connect('/api/events', { authorization: `Bearer ${kimToken}` })];
    const lee = await connect('/api/events', { authorization: `Bearer ${leeToken}` });
    // Stored together (one read, one batch) and one at a time.
    const together = [await test.repos.events.append(stage('billing', 'a')), await test.repos.events.append(stage('web', 'b'))];
    const published = [...together, await bus.publish(stage('billing', 'c')), await bus.publish(stage('web', 'd'))];
    await admin.waitFor((m) => events(m).at(-1)?.id === published.at(-1)!.id, 'the last event');
    for (const k of kims) await k.waitFor((m) => events(m).at(-1)?.id === published.at(-1)!.id, "kim's last event");
    // Lee sees nothing: a keep-alive after the last publish shows the stream was served meanwhile.
    await lee.waitFor((m) => m.filter((x) => x.comment === 'keep-alive').length >= 2, 'keep-alives');
    expect(events(admin.messages).map((m) => m.id)).toEqual(published.map((e) => e.id));
    const webOnly = published.filter((e) => e.application === 'web').map((e) => e.id);
    for (const k of kims) expect(events(k.messages).map((m) => m.id)).toEqual(webOnly);
    for (const k of kims) expect(events(k.messages).every((m) => !m.data!.includes('billing'))).toBe(true);
    expect(events(lee.messages)).toEqual([]);
  });

  it('ends an open stream once its token is revoked or its reader loses a grant; asked again, it gets 401 or only what it may read now', async () => {
    await test.repos.users.create({ name: 'kim', displayName: 'Kim', passwordHash: 'unused', admin: false, createdAt: new Date().toISOString() });
    const web = { resourceType: 'application', resource: 'web', permission: 'READ' } as const;
    const billing = { resourceType: 'application', resource: 'billing', permission: 'READ' } as const;
    await test.repos.users.saveRole({ name: 'kim-role', description: '', members: ['kim'], grants: [web, billing] });
    const revoked = await createToken(test.repos, 'kim', 'sse revoked', new Date());
    const kept = (await createToken(test.repos, 'kim', 'sse kept', new Date())).secret;
    const byRevoked = await connect('/api/events', { authorization: `Bearer ${revoked.secret}` });
    const byKept = await connect('/api/events', { authorization: `Bearer ${kept}` });
    const first = await bus.publish(stage('billing', 'before'));
    await byKept.waitFor((m) => events(m).some((e) => e.id === first.id), 'the billing event');

    await test.repos.credentials.revokeToken(revoked.id, 'kim', new Date());
    await byRevoked.ended;
    expect((await connect('/api/events', { authorization: `Bearer ${revoked.secret}` })).status).toBe(401);

    // Billing taken away: the stream that could read it ends; a new one never sees billing again.
    await test.repos.users.saveRole({ name: 'kim-role', description: '', members: ['kim'], grants: [web] });
    await byKept.ended;
    const again = await connect('/api/events', { authorization: `Bearer ${kept}` });
    const later = [await bus.publish(stage('billing', 'after')), await bus.publish(stage('web', 'after'))];
    await again.waitFor((m) => events(m).some((e) => e.id === later[1]!.id), 'the web event');
    expect(events(again.messages).map((m) => m.id)).toEqual([later[1]!.id]);
  });

  it('replays from `after` and sees events another process stored (poll fallback)', async () => {
    const old = await bus.publish(stage('web', 'old'));
    const older = await test.repos.events.append(stage('web', 'older'));
    const c = await connect(`/api/events?after=${old.id - 1}&execution=${EXEC}`);
    // Appended straight to the log: no in-process notification, so only the poll can find it.
    const foreign = await test.repos.events.append(stage('web', 'foreign'));
    await c.waitFor((m) => events(m).length >= 3, '3 events');
    expect(events(c.messages).map((m) => m.id)).toEqual([old.id, older.id, foreign.id]);
  });

  it('answers 400 naming the field for a malformed Last-Event-ID or query', async () => {
    const header = await connect('/api/events?after=3', { 'last-event-id': 'abc' });
    expect(header.status).toBe(400);
    expect(header.error).toMatchObject({ error: 'bad_request', field: 'Last-Event-ID' });
    const after = await connect('/api/events?after=abc');
    expect(after.status).toBe(400);
    expect(after.error).toMatchObject({ error: 'bad_request', field: 'after' });
    const application = await connect('/api/events?application=Not%20A%20Name');
    expect(application.status).toBe(400);
    expect(application.error).toMatchObject({ field: 'application' });
  });

  it('ends open streams when the app closes', async () => {
    const c = await connect('/api/events');
    await bus.publish(stage('web', 'x'));
    await c.waitFor((m) => events(m).length === 1, 'an event');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('app.close() hung')), 5_000)));
    await expect(Promise.race([Promise.all([app.close(), c.ended]), timeout])).resolves.toHaveLength(2);
    clearTimeout(timer);
  });
});
