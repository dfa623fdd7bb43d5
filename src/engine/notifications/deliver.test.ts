import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANUAL, useEngineTest } from '../test-engine';
import { parseOutboundAllow } from '../net/outbound-policy';

// A real receiver on loopback: the address a notification must not reach unless it is allowed.
let server: Server;
let url: string;
const received: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(String(req.headers['x-kiln-event']));
    req.resume().on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/kiln`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const t = useEngineTest();
const wait = { refId: 'soak', type: 'wait', name: 'soak', config: { seconds: 1 } };

describe('notifications: outbound policy', () => {
  it('refuses a notification URL on a private address, says why, and does not retry it', async () => {
    received.length = 0;
    const e = t.engine();
    const p = await t.pipeline([wait], { notifications: [{ url, events: ['started'] }] });
    const { id } = await e.start(p, MANUAL);
    await e.tick();
    await e.deliverNotifications();
    const [n] = await t.repos.notifications.forExecution(id);
    expect(n).toMatchObject({
      attempts: 1,
      lastError: `notification URL ${url} resolves to a private address (127.0.0.1); set KILN_OUTBOUND_ALLOW to allow it`,
      failedAt: expect.any(String),
    });
    t.later(3600);
    await e.deliverNotifications();
    expect(received).toEqual([]);
  });

  it('delivers to a private address named in the allowlist', async () => {
    received.length = 0;
    const e = t.engine({ outbound: { allow: parseOutboundAllow('127.0.0.1'), ownPorts: new Set() } });
    const p = await t.pipeline([wait], { notifications: [{ url, events: ['started'] }] });
    const { id } = await e.start(p, MANUAL);
    await e.tick();
    await e.deliverNotifications();
    expect(received).toEqual(['started']);
    expect((await t.repos.notifications.forExecution(id))[0]).toMatchObject({ attempts: 1, deliveredAt: expect.any(String) });
  });
});
