import { describe, expect, it } from 'vitest';
import { jobOutputs } from './job-outputs';
import { createOwners, useTestDatabase } from '../../db/test-builders';
import { testDriver } from '../../db/test-database';

const EXEC = '6b1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const PIPE = '7b1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';

// A job's outputs (`::kiln-output name=value::` lines) found in a long log stored in many chunks:
// only the chunks holding a marker are unpacked, and the result is what reading every line gives.
describe(`job outputs in a long log (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('are found in whichever chunks hold them, the last value winning, and never from another stage', async () => {
    const { db, repos } = current();
    await createOwners(repos);
    await db.query(`insert into pipelines (id, application, name, revision, config, updated_by) values ($1, 'web', 'p', 1, '{}', 'ana')`, [PIPE]);
    await db.query(`insert into executions (id, application, pipeline_id, pipeline_name, pipeline_revision, status, trigger) values ($1, 'web', $2, 'p', 1, 'RUNNING', '{}')`, [
      EXEC,
      PIPE,
    ]);
    const noise = (k: number) => Array.from({ length: 2000 }, (_, i) => `\u001b[32m${k}-${i}\u001b[0m compiling ok`);
    await repos.executionLogs.append(EXEC, 'build', [...noise(0), '::kiln-output version=1.0::', '::kiln-output meta={"sha":"a\\"b"}::']);
    for (let k = 1; k < 6; k += 1) await repos.executionLogs.append(EXEC, 'build', noise(k));
    await repos.executionLogs.append(EXEC, 'other', ['::kiln-output version=9.9::', '::kiln-output stray=yes::']);
    await repos.executionLogs.append(EXEC, 'build', [...noise(6), 'not an output: ::kiln-output x=1:: mid-line', '::kiln-output version=1.1::']);
    expect(await jobOutputs(repos, EXEC, 'build')).toEqual({ outputs: { version: '1.1', meta: '{"sha":"a\\"b"}' }, problems: [] });
    expect(await repos.executionLogs.linesOfChunksWith(EXEC, 'build', '::kiln-output ')).toHaveLength(2 * 2002);
  });
});
