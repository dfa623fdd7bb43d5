import { describe, expect, it } from 'vitest';
import { useEngineTest } from '../test-engine';

const t = useEngineTest();

async function owner(): Promise<string> {
  await t.repos.users.create({ name: 'erin', displayName: 'erin', passwordHash: 'x', admin: false, createdAt: new Date().toISOString() });
  await t.repos.users.saveRole({ name: 'erin-role', description: '', members: ['erin'], grants: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }] });
  return 'erin';
}

const runsOf = async (pipelineId: string) => (await t.repos.executions.list('web', { limit: 20, pipelineId })).executions;
const wait = [{ refId: 'soak', type: 'wait', name: 'soak', config: { seconds: 1 } }];

describe('cron triggers', () => {
  it('reports a trigger stored with ${ in its schedule or time zone (saved before that was refused) once, starts nothing from it, and still fires the others', async () => {
    const runAs = await owner();
    // What an older Kiln stored: the rule against `${` in trigger fields came later.
    const schedule = await t.pipeline(wait, { name: 'Nightly by parameter', triggers: [{ type: 'cron', expression: '0 ${ parameters.hour } * * *', runAs }] });
    const zone = await t.pipeline(wait, { name: 'Zoned by parameter', triggers: [{ type: 'cron', expression: '* * * * *', timezone: '${ parameters.tz }', runAs }] });
    const fine = await t.pipeline(wait, { name: 'Every minute', triggers: [{ type: 'cron', expression: '* * * * *', runAs }] });
    const errors: string[] = [];
    const e = t.engine({ onError: (err: unknown) => errors.push((err as Error).message) });
    t.later(60);
    await e.checkTriggers();
    t.later(60);
    await e.checkTriggers();
    expect(errors).toHaveLength(2);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pipeline 'Nightly by parameter' of web: its cron trigger never starts a run until triggers\[0\]\.expression is edited: .*is not evaluated there/),
        expect.stringMatching(/^pipeline 'Zoned by parameter' of web: its cron trigger never starts a run until triggers\[0\]\.timezone is edited: /),
      ]),
    );
    expect(await runsOf(schedule.id)).toEqual([]);
    expect(await runsOf(zone.id)).toEqual([]);
    expect(await runsOf(fine.id)).toHaveLength(2);
  });
});
