import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { windowOf } from '../traffic-analysis';
import { createPrometheusTraffic } from './prometheus-traffic';

const TOKEN = 'prom-token-never-shown-5521';
let server: Server | undefined;
// fetch keeps its connections open: close them too, or close() waits for their idle timeout.
afterEach(() => new Promise<void>((r) => (server ? (server.close(() => r()), server.closeAllConnections()) : r())));

/** A fake Prometheus HTTP API: answers each /api/v1/query with what `answer` says, and records the queries and Authorization headers. */
async function fakePrometheus(answer: (query: string) => { status: number; body: string }) {
  const seen: Array<{ query: string; authorization: string | undefined }> = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((r) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString())).on('end', () => r(text));
    });
  server = createServer(async (req, res) => {
    const form = new URLSearchParams(await read(req));
    const query = form.get('query') ?? '';
    seen.push({ query, authorization: req.headers.authorization });
    const a = req.url === '/api/v1/query' ? answer(query) : { status: 404, body: '404 page not found' };
    res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

const vector = (result: Array<{ metric?: Record<string, string>; value: string }>) =>
  JSON.stringify({ status: 'success', data: { resultType: 'vector', result: result.map((r) => ({ metric: r.metric ?? {}, value: [1765000000, r.value] })) } });

/** Counters of two groups: v001 healthy and fast, v002 failing one in five and slower. */
const COUNTERS: Record<string, { requests: number; errors: number; le: Record<string, number> }> = {
  'web-v001': { requests: 1000, errors: 2, le: { '0.005': 900, '0.05': 995, '0.5': 1000, '+Inf': 1000 } },
  'web-v002': { requests: 100, errors: 20, le: { '0.005': 10, '0.05': 40, '0.5': 100, '+Inf': 100 } },
};
const answerCounters = (query: string) => {
  const group = /kiln_io_server_group="([^"]+)"/.exec(query)?.[1] ?? '';
  const c = COUNTERS[group];
  if (!c) return { status: 200, body: vector([]) };
  if (query.includes('_bucket')) return { status: 200, body: vector(Object.entries(c.le).map(([le, n]) => ({ metric: { le }, value: String(n) }))) };
  return { status: 200, body: vector([{ value: String(query.includes('code=~"5.."') ? c.errors : c.requests) }]) };
};

const groups = [
  { serverGroup: 'web-v001', namespace: 'east' },
  { serverGroup: 'web-v002', namespace: 'east' },
];

describe('canary figures from Prometheus', () => {
  it("gives each group's requests, errors and latency from the default queries, filled with its name and namespace, sending the token", async () => {
    const prom = await fakePrometheus(answerCounters);
    const traffic = createPrometheusTraffic({ account: 'k8s', source: { url: prom.url }, token: TOKEN });
    const now = await traffic(groups);
    expect(now['web-v001']).toMatchObject({ requests: 1000, errors: 2 });
    expect(now['web-v002']).toMatchObject({ requests: 100, errors: 20 });
    // The window the canary analysis judges: the median of v002 is in the ≤ 500 ms bucket, v001's in ≤ 5 ms.
    expect(windowOf(undefined, now['web-v002'])).toMatchObject({ requests: 100, errors: 20, errorRatePct: 20, p50Ms: 500 });
    expect(windowOf(undefined, now['web-v001'])).toMatchObject({ errorRatePct: 0.2, p50Ms: 5 });
    expect(prom.seen.map((s) => s.query)).toContain('sum(http_requests_total{namespace="east",kiln_io_server_group="web-v002",code=~"5.."})');
    expect(new Set(prom.seen.map((s) => s.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
  });

  it('uses the account’s own query templates', async () => {
    const prom = await fakePrometheus(() => ({ status: 200, body: vector([{ value: '7' }]) }));
    const traffic = createPrometheusTraffic({
      account: 'k8s',
      source: { url: `${prom.url}/`, requestsQuery: 'sum(hits{rs="${serverGroup}",ns="${namespace}"})' },
    });
    expect((await traffic([groups[0]!]))['web-v001']!.requests).toBe(7);
    expect(prom.seen.map((s) => s.query)).toContain('sum(hits{rs="web-v001",ns="east"})');
    expect(prom.seen[0]!.authorization).toBeUndefined();
  });

  it('fails with Prometheus’ own message when it refuses a query, naming the query field — never with the token', async () => {
    const prom = await fakePrometheus(() => ({
      status: 400,
      body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'invalid parameter "query": 1:6: parse error: unexpected "}"' }),
    }));
    const traffic = createPrometheusTraffic({ account: 'k8s', source: { url: prom.url, requestsQuery: 'sum(x}{g="${serverGroup}"})' }, token: TOKEN });
    const err = await traffic(groups).catch((e: unknown) => e as Error & { field?: string });
    expect(err.message).toMatch(
      /account 'k8s': Prometheus at http:\/\/127\.0\.0\.1:\d+ answered requestsQuery for 'web-v00\d' with an error: invalid parameter "query": 1:6: parse error: unexpected "}" \(bad_data\)/,
    );
    expect(err.field).toBe('metrics.prometheus.requestsQuery');
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(TOKEN);
  });

  it('fails when the answer is not an instant vector, or not Prometheus’ JSON (a proxy refusing the token)', async () => {
    let answer = { status: 200, body: JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }) };
    const prom = await fakePrometheus(() => answer);
    const traffic = createPrometheusTraffic({ account: 'k8s', source: { url: prom.url }, token: TOKEN });
    await expect(traffic(groups)).rejects.toThrow(/with a matrix result, not an instant vector/);
    answer = { status: 401, body: '<html>sign in</html>' };
    await expect(traffic(groups)).rejects.toThrow(/answered requestsQuery for 'web-v00\d' with an error: HTTP 401 Unauthorized$/);
  });

  it('fails naming the URL and the network error when Prometheus cannot be reached', async () => {
    // A port nothing listens on any more.
    const gone = await fakePrometheus(answerCounters);
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const traffic = createPrometheusTraffic({ account: 'k8s', source: { url: gone.url }, token: TOKEN });
    const err = await traffic(groups).catch((e: unknown) => e as Error & { field?: string });
    expect(err.message).toMatch(/account 'k8s': Prometheus at http:\/\/127\.0\.0\.1:\d+ cannot be reached for the canary figures of 'web-v00\d': ECONNREFUSED/);
    expect(err.field).toBe('metrics.prometheus.url');
    expect(err.message).not.toContain(TOKEN);
  });
});
