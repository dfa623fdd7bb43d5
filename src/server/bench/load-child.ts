/**
 * The load generator of throughput.ts, in a process of its own so generating the load does not share
 * the server's event loop: one autocannon run against argv[2] with argv[3] connections, pipelining
 * argv[4], for argv[5] seconds, with the Bearer token argv[6]; its summary is sent to the parent
 * ('start' first, when the load begins).
 */
import autocannon from 'autocannon';

export type Load = { rps: number; p99: number; non2xx: number; errors: number; total: number };

/** Child: one autocannon run, its summary sent back. */
async function load(url: string, connections: number, pipelining: number, seconds: number, token: string): Promise<void> {
  process.send?.('start');
  const result = await autocannon({
    url,
    connections,
    pipelining,
    duration: seconds,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  process.send?.({
    rps: result.requests.average,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  } satisfies Load);
}

if (process.send) {
  const [url, connections, pipelining, seconds, token] = process.argv.slice(2);
  load(url!, Number(connections), Number(pipelining), Number(seconds), token ?? '').catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
