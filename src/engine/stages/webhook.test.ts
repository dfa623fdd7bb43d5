import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import type { Execution } from '../../shared/domain/execution';
import { defaultOutboundPolicy } from '../net/outbound-policy';
import { loopbackAllowed, useRunningEngine } from '../test-engine';

// A real HTTP server on loopback plays the webhook's other end.
let server: Server;
let base: string;
const received: Array<{ method: string; url: string; body: string; auth: string | undefined }> = [];
let statusCalls = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', body, auth: req.headers.authorization });
      if (req.url === '/fail') return res.writeHead(500).end('database is down');
      if (req.url === '/huge') return res.writeHead(200, { 'content-type': 'application/json' }).end(`{"data":"${'x'.repeat(200_000)}"}`);
      if (req.url === '/status') {
        statusCalls += 1;
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ build: { result: statusCalls < 3 ? 'RUNNING' : 'SUCCESS' } }));
      }
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: true }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const t = useRunningEngine('hooks');
beforeEach(() => {
  received.length = 0;
  statusCalls = 0;
});

async function run(config: Record<string, unknown>): Promise<Execution> {
  const p = await t.repos.pipelines.create(
    PipelineDraft.parse({ application: 'web', name: `h${Math.random()}`, stages: [{ refId: 'hook', type: 'webhook', name: 'Hook', config }] }),
    'ana',
  );
  const { id } = await t.engine.start(p, { type: 'manual', user: 'ana', parameters: {} });
  for (let i = 0; i < 200; i += 1) {
    const e = (await t.repos.executions.get(id))!;
    if (['SUCCEEDED', 'TERMINAL'].includes(e.status)) return e;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('webhook stage never finished');
}

describe('webhook', { timeout: 20_000 }, () => {
  it('sends the request with evaluated headers and body, and keeps the answer as output', async () => {
    const done = await run({ url: `${base}/deploy`, headers: { authorization: 'Bearer ${ trigger.user }' }, body: '{"by":"${ trigger.user }"}' });
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stages[0]!.outputs).toEqual({ statusCode: 202, body: { accepted: true } });
    expect(received).toEqual([{ method: 'POST', url: '/deploy', body: '{"by":"ana"}', auth: 'Bearer ana' }]);
  });

  it('fails with the status code and what the server said', async () => {
    const done = await run({ url: `${base}/fail` });
    expect(done.stages[0]!.error).toBe(`POST ${base}/fail answered 500 (success: 200, 201, 202, 204): database is down`);
  });

  it('polls a status URL until it reports success', async () => {
    const done = await run({
      url: `${base}/build`,
      poll: { statusUrl: `${base}/status`, statusField: 'build.result', successValues: ['SUCCESS'], failureValues: ['FAILURE'], intervalSec: 1 },
    });
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stages[0]!.outputs).toMatchObject({ statusCode: 202, status: 'SUCCESS', polls: 3, response: { statusCode: 200, body: { build: { result: 'SUCCESS' } } } });
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /build', 'GET /status', 'GET /status', 'GET /status']);
  });

  it('says so when nothing answers', async () => {
    // A port that was free a moment ago: nothing listens there now.
    const probe = createServer();
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((ok) => probe.close(() => ok()));
    const done = await run({ url: `http://127.0.0.1:${port}/nothing`, timeoutSec: 2 });
    expect(done.stages[0]!.error).toBe(`POST http://127.0.0.1:${port}/nothing failed: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('keeps only the first 64 KB of a long answer and says it was cut', async () => {
    const done = await run({ url: `${base}/huge` });
    expect(done.status).toBe('SUCCEEDED');
    const outputs = done.stages[0]!.outputs as { body: string; truncated: boolean };
    expect(outputs.truncated).toBe(true);
    expect(outputs.body.startsWith('{"data":"xxx')).toBe(true);
    expect(outputs.body).toMatch(/cut by Kiln: only the first 64 KB of the answer are kept\]$/);
    expect(outputs.body.length).toBeLessThan(64 * 1024 + 200);
  });
});

describe('webhook: outbound policy', { timeout: 20_000 }, () => {
  it('refuses loopback by default, with the setting that opens it, and sends nothing', async () => {
    await t.restart(defaultOutboundPolicy());
    const done = await run({ url: `${base}/deploy` });
    expect(done.status).toBe('TERMINAL');
    expect(done.stages[0]!.error).toBe(`webhook URL ${base}/deploy resolves to a private address (127.0.0.1); set KILN_OUTBOUND_ALLOW to allow it`);
    expect(received).toEqual([]);
  });

  it("refuses Kiln's own port even where the host is allowed, unless host:port names it", async () => {
    const port = Number(new URL(base).port);
    await t.restart(loopbackAllowed([port]));
    const done = await run({ url: `${base}/deploy` });
    expect(done.stages[0]!.error).toBe(`webhook URL ${base}/deploy points at Kiln's own port ${port}; set KILN_OUTBOUND_ALLOW to host:${port} to allow it`);
    expect(received).toEqual([]);
  });
});
