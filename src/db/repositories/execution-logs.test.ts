import { describe, expect, it } from 'vitest';
import { createOwners, useTestDatabase } from '../test-builders';

const EXEC = '3f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const PIPE = '4f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const db = useTestDatabase();

/** An execution whose log has two stages interleaved in chunks of different sizes. */
async function seed() {
  const { db: session, repos } = db();
  await createOwners(repos);
  await session.query(`insert into pipelines (id, application, name, revision, config, updated_by) values ($1, 'web', 'p', 1, '{}', 'ana')`, [PIPE]);
  await session.query(`insert into executions (id, application, pipeline_id, pipeline_name, pipeline_revision, status, trigger) values ($1, 'web', $2, 'p', 1, 'RUNNING', '{}')`, [
    EXEC,
    PIPE,
  ]);
  const expected: Record<string, string[]> = { build: [], test: [] };
  let n = 0;
  for (const [stage, size] of [
    ['build', 3],
    ['test', 2],
    ['build', 700],
    ['build', 1],
    ['test', 4],
    ['build', 50],
  ] as const) {
    const lines = Array.from({ length: size }, () => `${stage} ${(n += 1)}`);
    await repos.executionLogs.append(EXEC, stage, lines);
    expected[stage]!.push(...lines);
  }
  return { repos, expected, total: n };
}

describe('execution log reads', () => {
  it('pages forwards, from the tail and backwards by line count, across chunk and stage boundaries', async () => {
    const { repos, expected, total } = await seed();
    const text = (ls: Array<{ line: string }>) => ls.map((l) => l.line);
    const build = expected.build!;

    expect(text(await repos.executionLogs.read(EXEC, { refId: 'build', after: 0, limit: 5 }))).toEqual(build.slice(0, 5));
    expect(text(await repos.executionLogs.read(EXEC, { refId: 'build', after: 4, limit: 3 }))).toEqual(['build 6', 'build 7', 'build 8']);
    const tail = await repos.executionLogs.read(EXEC, { refId: 'build', before: Number.MAX_SAFE_INTEGER, limit: 60 });
    expect(text(tail)).toEqual(build.slice(-60));
    const earlier = await repos.executionLogs.read(EXEC, { refId: 'build', before: tail[0]!.seq, limit: 1000 });
    expect(text(earlier)).toEqual(build.slice(0, -60));
    expect(await repos.executionLogs.countBefore(EXEC, 'build', tail[0]!.seq)).toBe(build.length - 60);
    expect(await repos.executionLogs.countBefore(EXEC, undefined, tail[0]!.seq)).toBe(tail[0]!.seq - 1);
    expect(await repos.executionLogs.countBefore(EXEC, 'test', Number.MAX_SAFE_INTEGER)).toBe(6);

    // Everything, both stages, in seq order, whichever way it is paged.
    const all = await repos.executionLogs.read(EXEC, { after: 0, limit: 5000 });
    expect(all.map((l) => l.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(text(await repos.executionLogs.read(EXEC, { refId: 'test', before: Number.MAX_SAFE_INTEGER, limit: 5 }))).toEqual(expected.test!.slice(-5));
    expect(all.every((l) => !Number.isNaN(Date.parse(l.at)))).toBe(true);
  });

  it('reads only the chunks that hold the page, not the whole log', async () => {
    await seed();
    const { db: session } = db();
    const fetched: number[] = [];
    const spy = {
      ...session,
      query: (async (sql: string, params?: unknown[]) => {
        const result = await session.query(sql, params);
        fetched.push(result.rows.length);
        return result;
      }) as typeof session.query,
    };
    const { executionLogRepository } = await import('./execution-logs');
    const logs = executionLogRepository(spy);
    const tail = await logs.read(EXEC, { refId: 'build', before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(tail.map((l) => l.line)).toEqual(Array.from({ length: 10 }, (_, i) => `build ${751 + i}`));
    // The last chunk alone holds those 10 lines: one statement, one chunk fetched (of 6).
    expect(fetched).toEqual([1]);
    const page = await logs.read(EXEC, { refId: 'build', after: 0, limit: 4 });
    expect(page.map((l) => l.line)).toEqual(['build 1', 'build 2', 'build 3', 'build 6']);
    expect(fetched).toEqual([1, 2]);
  });

  it("keeps each chunk's source cursor: the stage's newest one is where a reader taking over resumes", async () => {
    const { repos } = await seed();
    expect(await repos.executionLogs.lastCursor(EXEC, 'build')).toBeUndefined();
    await repos.executionLogs.append(EXEC, 'build', ['a'], 'c1');
    await repos.executionLogs.append(EXEC, 'test', ['b'], 'other stage');
    await repos.executionLogs.append(EXEC, 'build', ['c', 'd'], 'c2');
    await repos.executionLogs.append(EXEC, 'build', ['started by Kiln, not read from the source']);
    expect(await repos.executionLogs.lastCursor(EXEC, 'build')).toBe('c2');
    expect(await repos.executionLogs.lastCursor(EXEC, 'test')).toBe('other stage');
    expect((await repos.executionLogs.read(EXEC, { refId: 'build', after: 0, limit: 2000 })).slice(-4).map((l) => l.line)).toEqual([
      'a',
      'c',
      'd',
      'started by Kiln, not read from the source',
    ]);
  });
});
