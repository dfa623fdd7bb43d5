import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestApp } from '../test-app';

let app: FastifyInstance;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ app, close } = await openTestApp({ signedIn: false }));
}, 60_000);
afterAll(() => close());

describe('security headers', () => {
  it('are on every answer: public, refused and unknown routes alike', async () => {
    for (const url of ['/api/health', '/api/applications', '/api/no-such-route']) {
      const { headers } = await app.inject(url);
      expect(headers['content-security-policy'], url).toContain("default-src 'self'");
      expect(headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(headers['content-security-policy'], url).toContain("object-src 'none'");
      expect(headers['content-security-policy'], url).not.toContain('upgrade-insecure-requests');
      expect(headers['x-content-type-options'], url).toBe('nosniff');
      expect(headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(headers['referrer-policy'], url).toBe('same-origin');
      expect(headers['cross-origin-opener-policy'], url).toBe('same-origin');
      // Plain http on loopback is the default install: HSTS would lock browsers out of it.
      expect(headers['strict-transport-security'], url).toBeUndefined();
    }
  });
});
