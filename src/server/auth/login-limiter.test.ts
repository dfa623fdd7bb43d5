import { describe, expect, it } from 'vitest';
import { createLoginLimiter, createSignInThrottle } from './login-limiter';

function clock() {
  let t = Date.UTC(2026, 10, 23, 10);
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('sign-in throttle', () => {
  it('does not lock a name out because its address failed for other names', () => {
    const c = clock();
    const throttle = createSignInThrottle({ now: c.now });
    for (let i = 0; i < 20; i += 1) throttle.fail(`guess-${i}`, '10.0.0.9');
    expect(throttle.retryAfter('ana', '10.0.0.9')).toBe(0);
  });

  it('refuses one name from one address after 5 failures, for the rest of the 15 minutes', () => {
    const c = clock();
    const throttle = createSignInThrottle({ now: c.now });
    for (let i = 0; i < 5; i += 1) throttle.fail('bo', '10.0.0.9');
    expect(throttle.retryAfter('bo', '10.0.0.9')).toBe(900);
    expect(throttle.retryAfter('bo', '10.0.0.10')).toBe(0);
    c.advance(15 * 60_000);
    expect(throttle.retryAfter('bo', '10.0.0.9')).toBe(0);
  });

  it('refuses one name hammered from many addresses, except at an address it signed in from before', () => {
    const c = clock();
    const throttle = createSignInThrottle({ now: c.now });
    throttle.succeed('ana', '10.0.0.1');
    for (let i = 0; i < 20; i += 1) throttle.fail('ana', `203.0.113.${i}`);
    expect(throttle.retryAfter('ana', '198.51.100.7')).toBeGreaterThan(0);
    expect(throttle.retryAfter('ana', '10.0.0.1')).toBe(0);
    expect(throttle.retryAfter('bo', '198.51.100.7')).toBe(0);
  });

  it('refuses password spraying from one address after 100 failures, except for names known there', () => {
    const c = clock();
    const throttle = createSignInThrottle({ now: c.now });
    throttle.succeed('ana', '10.0.0.9');
    for (let i = 0; i < 100; i += 1) throttle.fail(`user-${i}`, '10.0.0.9');
    expect(throttle.retryAfter('bo', '10.0.0.9')).toBeGreaterThan(0);
    expect(throttle.retryAfter('ana', '10.0.0.9')).toBe(0);
    expect(throttle.retryAfter('bo', '10.0.0.10')).toBe(0);
  });

  it('forgets a known address after 30 days', () => {
    const c = clock();
    const throttle = createSignInThrottle({ now: c.now });
    throttle.succeed('ana', '10.0.0.1');
    c.advance(31 * 24 * 3600_000);
    for (let i = 0; i < 20; i += 1) throttle.fail('ana', `203.0.113.${i}`);
    expect(throttle.retryAfter('ana', '10.0.0.1')).toBeGreaterThan(0);
  });
});

describe('login limiter', () => {
  it('sweeps keys whose failures left the window, so sprayed names do not pile up in memory', () => {
    const c = clock();
    const limiter = createLoginLimiter({ limit: 5, windowMs: 60_000, now: c.now });
    for (let i = 0; i < 999; i += 1) limiter.fail([`k${i}`]);
    c.advance(60_001);
    limiter.fail(['last']);
    expect(limiter.size()).toBe(1);
  });
});
