import { beforeEach, describe, expect, it } from 'vitest';
import type { Repositories } from '../db/types';
import type { Engine } from './index';
import { MANUAL, person, useEngineTest } from './test-engine';

const t = useEngineTest();
let repos: Repositories;
let e: Engine;
beforeEach(() => {
  repos = t.repos;
  e = t.engine({ owner: 'test-a' });
});

const support = person('sam', { roles: ['support'], grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
const engineer = person('eve', { roles: ['deployers'] });
const approver = person('pia', { roles: ['approvers'] });
const admin = person('ada', { admin: true });
const statuses = async (id: string) => Object.fromEntries((await repos.executions.get(id))!.stages.map((s) => [s.refId, s.status]));

/** Judgment (with options, limited to approvers) → two branches that read the chosen input. */
async function waitingJudgment() {
  const p = await t.pipeline([
    { refId: 'ok', type: 'manualJudgment', name: 'Promote?', config: { instructions: 'Ship?', inputOptions: ['all', 'canary'], allowedRoles: ['approvers'] } },
    { refId: 'all', type: 'wait', name: 'All', requisiteStageRefIds: ['ok'], condition: "${ stages['Promote?'].outputs.judgment == 'all' }", config: { seconds: 1 } },
    { refId: 'canary', type: 'wait', name: 'Canary', requisiteStageRefIds: ['ok'], condition: "${ stages['Promote?'].outputs.judgment == 'canary' }", config: { seconds: 1 } },
  ]);
  const { id } = await e.start(p, MANUAL);
  await e.tick();
  return id;
}

async function rejectedJudgment() {
  const id = await waitingJudgment();
  await e.judge(id, 'ok', { decision: 'reject', by: 'pia', me: approver, comment: 'error rate too high' });
  await e.tick();
  expect((await repos.executions.get(id))!.status).toBe('TERMINAL');
  return id;
}

describe('who may judge', () => {
  it('refuses a READ-only support user, naming the permission, the user and the application', async () => {
    const id = await waitingJudgment();
    const judged = e.judge(id, 'ok', { decision: 'approve', by: 'sam', me: support, input: 'all' });
    await expect(judged).rejects.toMatchObject({ kind: 'forbidden', message: expect.stringMatching(/sam lacks EXECUTE permission on application 'web'/) });
    expect((await statuses(id)).ok).toBe('SUSPENDED');
  });

  it('refuses an EXECUTE user without one of the allowed roles; an approver may', async () => {
    const id = await waitingJudgment();
    await expect(e.judge(id, 'ok', { decision: 'approve', by: 'eve', me: engineer, input: 'all' })).rejects.toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('approvers'),
    });
    await e.judge(id, 'ok', { decision: 'approve', by: 'pia', me: approver, input: 'canary' });
    await e.tick();
    expect(await statuses(id)).toMatchObject({ ok: 'SUCCEEDED', all: 'SKIPPED', canary: 'RUNNING' });
  });

  it('refuses an input that is not one of the options (and an approval with none), so no branch is skipped by a typo', async () => {
    const id = await waitingJudgment();
    await expect(e.judge(id, 'ok', { decision: 'approve', by: 'pia', me: approver, input: 'Nope' })).rejects.toMatchObject({
      kind: 'bad_request',
      field: 'input',
      message: expect.stringContaining("'all', 'canary'"),
    });
    await expect(e.judge(id, 'ok', { decision: 'approve', by: 'pia', me: approver })).rejects.toMatchObject({ kind: 'bad_request', field: 'input' });
    await e.tick();
    expect(await statuses(id)).toEqual({ ok: 'SUSPENDED', all: 'NOT_STARTED', canary: 'NOT_STARTED' });
  });
});

describe('a rejected judgment holds', () => {
  for (const action of ['skip', 'ignoreFailure', 'restart'] as const) {
    const act = (id: string, refId: string, by: string, me: typeof admin, reason?: string) =>
      action === 'restart'
        ? e.restartStage(id, refId, by, me, reason)
        : action === 'skip'
          ? e.skipStage(id, refId, by, reason ?? '', me)
          : e.ignoreFailure(id, refId, by, reason ?? '', me);

    it(`${action}: refused for an EXECUTE user and for an admin without a reason; an admin with a reason may, and it is recorded`, async () => {
      const id = await rejectedJudgment();
      await expect(act(id, 'ok', 'eve', engineer, 'we need this out')).rejects.toMatchObject({ kind: 'forbidden', message: expect.stringContaining('rejected by pia') });
      await expect(act(id, 'ok', 'pia', approver, 'changed my mind')).rejects.toMatchObject({ kind: 'forbidden' });
      await expect(act(id, 'ok', 'ada', admin)).rejects.toMatchObject({ kind: 'bad_request', field: 'reason' });
      await expect(act(id, 'all', 'eve', engineer, 'x')).rejects.toMatchObject({ kind: expect.stringMatching(/forbidden|conflict/) });
      expect((await repos.executions.get(id))!.status).toBe('TERMINAL');

      await act(id, 'ok', 'ada', admin, 'incident 42: the fix must ship');
      const after = (await repos.executions.get(id))!;
      const key = { skip: 'skipped', ignoreFailure: 'failureIgnored', restart: 'restarted' }[action];
      expect(after.stages[0]!.context[key]).toMatchObject({ by: 'ada', reason: 'incident 42: the fix must ship', overrodeRejection: true });
      // It runs again: TERMINAL no more (its remaining stages may already have finished meanwhile).
      expect(['RUNNING', 'SUCCEEDED']).toContain(after.status);
    });
  }

  it('an ordinary restart still needs no reason', async () => {
    const p = await t.pipeline([{ refId: 'w', type: 'wait', name: 'W', config: { seconds: 1 } }]);
    const { id } = await e.start(p, MANUAL);
    await e.tick();
    t.later(2);
    await e.tick();
    await e.tick();
    expect((await repos.executions.get(id))!.status).toBe('SUCCEEDED');
    await expect(e.restartStage(id, 'w', 'eve', engineer)).resolves.toMatchObject({ status: 'RUNNING' });
  });
});
