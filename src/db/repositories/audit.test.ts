import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../test-database';

let test: TestDatabase;
beforeEach(async () => (test = await openTestDatabase()));
afterEach(() => test.close());

describe('audit log', () => {
  it('keeps entries newest first and refuses to edit or delete them, even in SQL', async () => {
    const entry = {
      at: '2026-11-23T10:00:00.000Z',
      actor: 'ana',
      action: 'PUT /api/pipelines/:pipelineId',
      target: '/api/pipelines/1',
      status: 200,
      details: { body: { name: 'x' } },
    };
    await test.repos.audit.append(entry);
    await test.repos.audit.append({ ...entry, at: '2026-11-23T10:01:00.000Z', actor: 'bo' });
    expect((await test.repos.audit.list({ limit: 10 })).map((e) => e.actor)).toEqual(['bo', 'ana']);
    expect((await test.repos.audit.list({ limit: 10, q: 'ANA' })).map((e) => e.actor)).toEqual(['ana']);
    await expect(test.db.query("update audit_log set actor = 'mallory'")).rejects.toThrow(/append-only/);
    await expect(test.db.query('delete from audit_log')).rejects.toThrow(/append-only/);
    expect(await test.repos.audit.list({ limit: 10 })).toHaveLength(2);
  });
});
