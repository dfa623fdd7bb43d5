import { describe, expect, it } from 'vitest';
import { createDatabase } from './client';
import { createPostgresSignals, type Signals } from './signals';
import { openTestDatabase } from './test-database';
import { createOwners } from './test-builders';
import { PipelineDraft } from '../shared/domain/pipeline';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Each Kiln process that joins writes a presence row (migration 310); one killed -9 leaves its row
// behind. Rows of dead processes that own nothing any more are cleared when a process joins; a dead
// process's row that still tells the others to take its work over stays, and no live process's row
// goes, however many processes start at once.
describe('presence rows on PostgreSQL', () => {
  it('are cleared for dead processes that own nothing, kept for those whose work is not taken over yet and for live ones', { timeout: 90_000 }, async () => {
    const t = await openTestDatabase();
    if (!t.url) return t.close(); // PGlite: one process, no presence
    const url = t.url;
    const pool = await createDatabase({ databaseUrl: url });
    const started: Signals[] = [];
    try {
      await createOwners(t.repos);
      const p = await t.repos.pipelines.create(
        PipelineDraft.parse({ application: 'web', name: 'p', stages: [{ refId: 'w', type: 'wait', name: 'Wait', config: { seconds: 600 } }] }),
        'ana',
      );
      const execution = async () => {
        const { id } = await t.db.query<{ id: string }>('select gen_random_uuid()::text as id').then((r) => r.rows[0]!);
        await t.db.query(
          `insert into executions (id, application, pipeline_id, pipeline_name, pipeline_revision, status, trigger, created_at) values ($1, 'web', $2, 'p', 1, 'RUNNING', '{}', now())`,
          [id, p.id],
        );
        return id;
      };
      // Dead processes (a row, no lock): one owning nothing, one still leasing a live execution, one whose
      // execution waits on its job, one supervising a running job, one holding the local cloud, and one
      // whose only execution has ended.
      await t.db.query(`insert into engine_processes (owner) select unnest($1::text[])`, [['dead-idle', 'dead-leasing', 'dead-watching', 'dead-job', 'dead-cloud', 'dead-done']]);
      await t.db.query(`update executions set lease_owner = 'dead-leasing', lease_until = now() + interval '1 hour', lease_token = 1 where id = $1`, [await execution()]);
      await t.db.query(`update executions set needs_lease = 'process:dead-watching' where id = $1`, [await execution()]);
      await t.db.query(
        `insert into job_runs (execution_id, ref_id, attempt, owner, host, run_dir, launched_at, heartbeat_at) values ($1, 'w', 1, 'dead-job', 'h', '/x', now(), now())`,
        [await execution()],
      );
      await t.db.query(`insert into local_cloud_lease (id, owner, expires_at) values ('local', 'dead-cloud', now() + interval '1 hour')`);
      const done = await execution();
      await t.db.query(`update executions set status = 'SUCCEEDED', lease_owner = 'dead-done', lease_until = now() + interval '1 hour' where id = $1`, [done]);

      // Eight processes start at once, each joining (and clearing) while the others do.
      const owners = Array.from({ length: 8 }, (_, i) => `live-${i}`);
      for (const owner of owners) {
        const s = createPostgresSignals({ databaseUrl: url, query: (sql, params) => pool.query(sql, params) });
        started.push(s);
        s.join?.(owner);
      }
      const rows = async () => (await t.db.query<{ owner: string }>('select owner from engine_processes order by owner')).rows.map((r) => r.owner);
      const gone = async (owner: string) => (await t.db.query<{ g: boolean }>('select kiln_owner_gone($1) as g', [owner])).rows[0]!.g;
      const expected = ['dead-cloud', 'dead-job', 'dead-leasing', 'dead-watching', ...owners].sort();
      for (let i = 0; i < 200 && JSON.stringify(await rows()) !== JSON.stringify(expected); i += 1) await sleep(50);
      expect(await rows()).toEqual(expected);
      for (const owner of owners) expect(await gone(owner)).toBe(false);
      // The dead process still leasing work is still called gone, so the others take it at once.
      expect(await gone('dead-leasing')).toBe(true);

      // Its execution taken over (claimed by a live process), the next process to join clears its row.
      await t.db.query(`update executions set lease_owner = 'live-0' where lease_owner = 'dead-leasing'`);
      const late = createPostgresSignals({ databaseUrl: url, query: (sql, params) => pool.query(sql, params) });
      started.push(late);
      late.join?.('late');
      for (let i = 0; i < 200 && (await rows()).includes('dead-leasing'); i += 1) await sleep(50);
      expect(await rows()).toEqual(['dead-cloud', 'dead-job', 'dead-watching', 'late', ...owners].sort());
    } finally {
      for (const s of started) await s.close();
      await pool.close();
      await t.close();
    }
  });
});
