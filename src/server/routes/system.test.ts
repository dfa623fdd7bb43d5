import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/types';
import { openTestDatabase } from '../../db/test-database';
import { buildApp } from '../app';
import { Health } from '../../shared/api/system';
import { quarantineRow, resetQuarantine, setQuarantineLog } from '../../db/quarantine';
import { asTestAdmin } from '../test-app';

let app: FastifyInstance;
let db: Database;
let close: () => Promise<void>;
let adminToken: string;

beforeAll(async () => {
  const opened = await openTestDatabase();
  db = opened.db;
  app = await buildApp({ db, repos: opened.repos, version: '0.0.0-test' });
  adminToken = await asTestAdmin(app, opened.repos, { inject: false });
  close = async () => {
    await app.close();
    await opened.close();
  };
}, 60_000);
afterAll(() => close());

describe('health', () => {
  it('answers many requests at once with one database probe, and probes again for the next request', async () => {
    const query = vi.spyOn(db, 'query');
    const probes = () => query.mock.calls.filter(([sql]) => sql === 'select 1').length;
    const answers = await Promise.all(Array.from({ length: 50 }, () => app.inject('/api/health')));
    expect(answers.map((a) => a.json().database.ok)).toEqual(Array(50).fill(true));
    expect(probes()).toBeLessThan(50);
    const before = probes();
    await app.inject('/api/health');
    expect(probes()).toBe(before + 1);
    query.mockRestore();
  });

  it('costs one database probe for all the requests that arrive together', async () => {
    const query = vi.spyOn(db, 'query');
    const answers = await Promise.all(Array.from({ length: 200 }, () => app.inject('/api/health')));
    expect(answers.every((a) => a.json().status === 'ok' && a.headers['content-type'] === 'application/json; charset=utf-8')).toBe(true);
    expect(query.mock.calls.filter(([sql]) => sql === 'select 1')).toHaveLength(1);
    query.mockRestore();
  });

  it('never answers from a probe that started before the request arrived', async () => {
    const original = db.query.bind(db);
    let releaseFirst!: () => void;
    let probes = 0;
    const query = vi.spyOn(db, 'query').mockImplementation(async (sql, params) => {
      if (sql !== 'select 1') return original(sql, params);
      probes += 1;
      if (probes === 1) {
        await new Promise<void>((resolve) => (releaseFirst = resolve));
        return original(sql, params);
      }
      throw new Error('connection refused'); // the database went down while the first probe ran
    });
    const first = app.inject('/api/health');
    await vi.waitFor(() => expect(probes).toBe(1));
    const second = app.inject('/api/health');
    await new Promise((resolve) => setImmediate(resolve));
    releaseFirst();
    expect((await first).json()).toMatchObject({ status: 'ok', database: { ok: true } });
    expect((await second).json()).toMatchObject({ status: 'degraded', database: { ok: false } });
    query.mockRestore();
  });

  it('says the database is down when the probe fails', async () => {
    const query = vi.spyOn(db, 'query').mockRejectedValueOnce(new Error('connection refused'));
    const res = await app.inject('/api/health');
    expect(res.json()).toMatchObject({ status: 'degraded', database: { ok: false } });
    query.mockRestore();
  });

  it("answers monitoring with an admin's token from the shared answer, yet still names quarantined rows to admins", async () => {
    const asAdmin = { url: '/api/health', headers: { authorization: `Bearer ${adminToken}` } };
    const built = vi.spyOn(Health, 'parse');
    const query = vi.spyOn(db, 'query');
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => app.inject(i % 2 ? asAdmin : '/api/health')));
    const probes = query.mock.calls.filter(([sql]) => sql === 'select 1').length;
    query.mockRestore();
    // Requests that reach the route in one event-loop turn share one probe (on PostgreSQL the token
    // check takes turns of its own, so the admins may reach it a turn or two after the others): one
    // answer built per probe (one more if a second ticks over), admins included — never one per admin.
    expect(built.mock.calls.length).toBeLessThanOrEqual(probes + 1);
    expect(built.mock.calls.length).toBeLessThan(10);
    expect(new Set(answers.map((a) => a.body)).size).toBeLessThanOrEqual(built.mock.calls.length);
    expect(answers[1]!.json()).toMatchObject({ status: 'ok', quarantinedCount: 0, quarantined: [] });

    setQuarantineLog(() => undefined);
    quarantineRow('images', 'storefront:v9', 'build.git.commit: Too big');
    try {
      const [admin, stranger] = await Promise.all([app.inject(asAdmin), app.inject('/api/health')]);
      expect(admin.json()).toMatchObject({ status: 'degraded', quarantinedCount: 1, quarantined: [{ table: 'images', key: 'storefront:v9' }] });
      expect(stranger.json()).toMatchObject({ status: 'degraded', quarantinedCount: 1, quarantined: [] });
    } finally {
      resetQuarantine();
      built.mockRestore();
    }
  });
});
