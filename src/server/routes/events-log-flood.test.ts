import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { KilnEvent } from '../../shared/api/events';
import { createOwners } from '../../db/test-builders';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import { createEventBus, type EventBus } from '../../engine/events/event-bus';
import { buildApp } from '../app';
import { createToken } from '../auth/sessions';
import { connectSse, type SseConnection, type SseMessage } from '../test-sse-client';

// A job flooding its log, as the job runner stores it: each batch and its log.lines event in one
// write (the lines stored once), then told to this process's streams. Every reader allowed to see
// the application gets every line once, in order, in few events; a reader who may not gets none.
const EXEC = '4e1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const PIPE = '5e1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';

let test: TestDatabase;
let bus: EventBus;
let app: FastifyInstance;
let base: string;
const connections: SseConnection[] = [];

beforeEach(async () => {
  test = await openTestDatabase();
  bus = createEventBus(test.repos);
  app = await buildApp({ db: test.db, repos: test.repos, version: '0.0.0-test', events: bus, sse: { heartbeatMs: 100, pollMs: 200, pageSize: 25, slowClientMs: 5_000 } });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  await createOwners(test.repos);
  await test.db.query(`insert into pipelines (id, application, name, revision, config, updated_by) values ($1, 'billing', 'p', 1, '{}', 'ana')`, [PIPE]);
  await test.db.query(
    `insert into executions (id, application, pipeline_id, pipeline_name, pipeline_revision, status, trigger) values ($1, 'billing', $2, 'p', 1, 'RUNNING', '{}')`,
    [EXEC, PIPE],
  );
  await test.repos.jobRuns.insert({ executionId: EXEC, refId: 'job', attempt: 1, owner: 'a', host: 'h', runDir: '/nowhere', launchedAt: new Date().toISOString() });
  for (const [name, admin, grants] of [
    ['ana', true, []],
    ['kim', false, [{ resourceType: 'application', resource: 'web', permission: 'READ' }]],
  ] as const) {
    await test.repos.users.create({ name, displayName: name, passwordHash: 'unused', admin, createdAt: new Date().toISOString() });
    if (!admin) await test.repos.users.saveRole({ name: `${name}-role`, description: '', members: [name], grants: [...grants] });
  }
});
afterEach(async () => {
  for (const c of connections.splice(0)) c.close();
  await app.close();
  await test.close();
});

const connect = async (user: string, path: string) => {
  const c = await connectSse(`${base}${path}`, { authorization: `Bearer ${(await createToken(test.repos, user, 'sse', new Date())).secret}` });
  connections.push(c);
  return c;
};
const logEvents = (messages: SseMessage[]) => messages.filter((m) => m.event === 'log.lines').map((m) => KilnEvent.parse(JSON.parse(m.data!)));
const lines = (messages: SseMessage[]) => logEvents(messages).flatMap((e) => (e.type === 'log.lines' ? e.data.lines : []));

describe('a flood of job output on GET /api/events', () => {
  it('reaches every reader of the application whole, in order and in few events; a reader of another application gets none of it', async () => {
    const all = await connect('ana', '/api/events');
    const one = await connect('ana', `/api/events?execution=${EXEC}`);
    const kim = await connect('kim', '/api/events');
    // 20,000 lines in batches of 2,000 (the runner's are ~128 KB); the last batch is stored by
    // "another process": no in-process notice, so the stream finds it by reading the event log.
    const expected = Array.from({ length: 20_000 }, (_, i) => `\u001b[32m${String(i + 1).padStart(7, '0')}\u001b[0m compiling module-${i + 1} ok`);
    let offset = 0;
    for (let k = 0; k < 10; k += 1) {
      const batch = expected.slice(k * 2000, (k + 1) * 2000);
      const fence = { job: { attempt: 1, owner: 'a', from: offset, to: (offset += 2000) } };
      const { event } = await test.repos.executionLogs.append(EXEC, 'job', batch, undefined, fence, { application: 'billing' });
      if (k < 9) bus.deliver(event!);
    }
    for (const c of [all, one]) await c.waitFor((m) => lines(m).length >= expected.length, 'every line', 20_000);
    for (const c of [all, one]) {
      expect(lines(c.messages)).toEqual(expected);
      expect(logEvents(c.messages).length).toBe(10);
    }
    // Kim may read `web` only: the stream is served (keep-alives) but carries none of billing's lines.
    await kim.waitFor((m) => m.filter((x) => x.comment === 'keep-alive').length >= 2, 'keep-alives');
    expect(logEvents(kim.messages)).toEqual([]);
    expect(kim.messages.some((m) => m.data?.includes('compiling'))).toBe(false);
  });
});
