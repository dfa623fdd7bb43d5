import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedRequest, OutboundRefusedError, type Resolver } from './guarded-request';
import { parseOutboundAllow, type OutboundPolicy } from './outbound-policy';

let server: Server;
let port: number;
let hits = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    hits += 1;
    if (req.url === '/hop') return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (req.url === '/big') return res.writeHead(200).end('y'.repeat(10_000));
    res.writeHead(200).end('hello');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const policy = (allow = ''): OutboundPolicy => ({ allow: parseOutboundAllow(allow), ownPorts: new Set() });
/** Plays a DNS server: each name answers with the listed addresses. */
const dns =
  (answers: Record<string, string[]>): Resolver =>
  async (name) =>
    (answers[name] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
const call = (p: OutboundPolicy, url: string, resolver?: Resolver) =>
  guardedRequest(p, { method: 'GET', url, headers: {}, timeoutMs: 5000, maxBodyBytes: 1024, what: 'webhook URL' }, resolver);

describe('guardedRequest', () => {
  it('refuses a name that resolves to loopback, before anything is sent', async () => {
    hits = 0;
    const url = `http://rebind.example:${port}/`;
    await expect(call(policy(), url, dns({ 'rebind.example': ['127.0.0.1'] }))).rejects.toThrow(
      new OutboundRefusedError(`webhook URL ${url} resolves to a private address (127.0.0.1); set KILN_OUTBOUND_ALLOW to allow it`),
    );
    expect(hits).toBe(0);
  });

  it('refuses a name when any one of its addresses is private (a public decoy does not help)', async () => {
    const url = `http://mixed.example:${port}/`;
    await expect(call(policy(), url, dns({ 'mixed.example': ['93.184.216.34', '::ffff:127.0.0.1'] }))).rejects.toThrow(/private address \(::ffff:127\.0\.0\.1\)/);
  });

  it('refuses address literals, IPv4-mapped IPv6 included', async () => {
    await expect(call(policy(), `http://127.0.0.1:${port}/`)).rejects.toThrow(OutboundRefusedError);
    await expect(call(policy(), `http://[::ffff:127.0.0.1]:${port}/`)).rejects.toThrow(/private address/);
    await expect(call(policy(), `http://[::1]:${port}/`)).rejects.toThrow(/private address \(::1\)/);
    // Decimal and hex spellings of 127.0.0.1 are the same address once parsed.
    await expect(call(policy(), `http://2130706433:${port}/`)).rejects.toThrow(/private address \(127\.0\.0\.1\)/);
    await expect(call(policy(), `http://0x7f.1:${port}/`)).rejects.toThrow(/private address \(127\.0\.0\.1\)/);
  });

  it('connects to the address it checked when the name is allowed', async () => {
    hits = 0;
    const res = await call(policy('hooks.internal'), `http://hooks.internal:${port}/`, dns({ 'hooks.internal': ['127.0.0.1'] }));
    expect(res).toMatchObject({ status: 200, body: 'hello', truncated: false });
    expect(typeof res.headers.date).toBe('string');
    expect(hits).toBe(1);
  });

  it('does not follow a redirect (it could point anywhere): the 302 is the answer', async () => {
    const res = await call(policy('hooks.internal'), `http://hooks.internal:${port}/hop`, dns({ 'hooks.internal': ['127.0.0.1'] }));
    expect(res.status).toBe(302);
  });

  it('stops reading at the cap and marks the body as cut', async () => {
    const res = await call(policy('hooks.internal'), `http://hooks.internal:${port}/big`, dns({ 'hooks.internal': ['127.0.0.1'] }));
    expect(res.truncated).toBe(true);
    expect(res.body).toBe(`${'y'.repeat(1024)}\n… [cut by Kiln: only the first 1 KB of the answer are kept]`);
  });
});
