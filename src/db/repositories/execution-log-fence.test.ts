import { describe, expect, it } from 'vitest';
import { createOwners, useTestDatabase } from '../test-builders';

const EXEC = '5f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const PIPE = '6f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const db = useTestDatabase();

// A stage's log written under the execution's lease: a Kiln whose lease ran out (a stalled machine)
// and the one that claimed the execution next may both hold one batch; only the holder stores it.
describe('a stage log batch stored under the execution lease', () => {
  it('is stored by the process holding the lease and refused to the one that lost it', async () => {
    const { db: session, repos } = db();
    await createOwners(repos);
    await session.query(`insert into pipelines (id, application, name, revision, config, updated_by) values ($1, 'web', 'p', 1, '{}', 'ana')`, [PIPE]);
    await session.query(
      `insert into executions (id, application, pipeline_id, pipeline_name, pipeline_revision, status, trigger) values ($1, 'web', $2, 'p', 1, 'RUNNING', '{}')`,
      [EXEC, PIPE],
    );
    const t0 = new Date('2030-01-01T00:00:00Z');
    const [stalled] = await repos.executions.claim('a', t0, 1000, 1);
    expect((await repos.executionLogs.append(EXEC, 'build', ['one'], 'c1', { lease: stalled! })).refused).toBeUndefined();
    // A's lease runs out; B claims the execution and reads the same source from the last cursor.
    const [successor] = await repos.executions.claim('b', new Date(t0.getTime() + 5000), 1000, 1);
    expect(successor?.owner).toBe('b');
    expect(await repos.executionLogs.append(EXEC, 'build', ['two'], 'c2', { lease: stalled! })).toMatchObject({ refused: true });
    expect((await repos.executionLogs.append(EXEC, 'build', ['two'], 'c2', { lease: successor! })).refused).toBeUndefined();
    expect((await repos.executionLogs.read(EXEC, { refId: 'build', limit: 10 })).map((l) => l.line)).toEqual(['one', 'two']);
    expect(await repos.executionLogs.lastCursor(EXEC, 'build')).toBe('c2');
  });
});
