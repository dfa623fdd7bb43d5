import { describe, expect, it } from 'vitest';
import { Execution } from './execution';
import type { Me } from './user';
import { judgeVerdict, judgmentInputProblem, stageActionVerdict, stageActionWithReason, stageStateProblem } from './stage-rules';
import { RULE_PEOPLE, ruleExecution } from './stage-rule-cases';

const ids = { id: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b', pipelineId: '0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01' };
const waiting = ruleExecution('waiting', ids);
const rejected = ruleExecution('rejected', ids);
const stage = (e: Execution, refId: string) => e.stages.find((s) => s.refId === refId)!;
const { sam, eve, pia, ada } = RULE_PEOPLE;
const withSeparation = (e: Execution): Execution => ({ ...e, stages: e.stages.map((s) => (s.refId === 'ok' ? { ...s, config: { ...s.config, separationOfDuties: true } } : s)) });
const starter: Me = { ...ada, user: { ...ada.user, name: 'ana' } };

describe('who may judge', () => {
  it('lets a holder of an allowed role with EXECUTE judge', () => {
    expect(judgeVerdict(pia, waiting, stage(waiting, 'ok'))).toEqual({ allowed: true, needsReason: false });
  });

  it('refuses a READ-only support user for want of EXECUTE, naming the permission', () => {
    expect(judgeVerdict(sam, waiting, stage(waiting, 'ok'))).toMatchObject({
      allowed: false,
      status: 403,
      field: 'permission',
      reason: expect.stringContaining("sam lacks EXECUTE permission on application 'web'"),
    });
  });

  it('says which roles may, when an EXECUTE user has none of them', () => {
    expect(judgeVerdict(eve, waiting, stage(waiting, 'ok'))).toEqual({
      allowed: false,
      status: 403,
      reason: "Stage 'Promote?' may be judged by the roles approvers; eve has deployers.",
    });
  });

  it('refuses the person who started the execution, admins included (separation of duties), and nobody signed in', () => {
    const e = withSeparation(waiting);
    expect(judgeVerdict(starter, e, stage(e, 'ok'))).toMatchObject({ allowed: false, reason: expect.stringContaining('separation of duties') });
    expect(judgeVerdict(ada, e, stage(e, 'ok')).allowed).toBe(true);
    expect(judgeVerdict(undefined, e, stage(e, 'ok')).allowed).toBe(false);
  });

  it('refuses, saying why, a judgment whose stored roles are not a list (nobody may judge what cannot be read)', () => {
    const broken = { ...stage(waiting, 'ok'), config: { ...stage(waiting, 'ok').config, allowedRoles: 'approvers' } };
    const verdict = judgeVerdict(pia, waiting, broken);
    expect(verdict).toMatchObject({ allowed: false, status: 403, reason: expect.stringContaining("Stage 'Promote?' has a judgment setting Kiln cannot read (allowedRoles:") });
    expect(judgmentInputProblem(broken, { decision: 'approve', input: 'all' })).toContain('cannot read (allowedRoles:');
  });

  it('answers 409 for a judgment that is no longer waiting', () => {
    expect(judgeVerdict(pia, rejected, stage(rejected, 'ok'))).toMatchObject({ allowed: false, status: 409 });
  });
});

describe('judgment input', () => {
  const ok = stage(waiting, 'ok');
  it('must be one of the options, and an approval must choose one', () => {
    expect(judgmentInputProblem(ok, { decision: 'approve', input: 'canary' })).toBeUndefined();
    expect(judgmentInputProblem(ok, { decision: 'approve', input: 'Nope' })).toBe("input must be one of 'all', 'canary'; 'Nope' is not.");
    expect(judgmentInputProblem(ok, { decision: 'approve' })).toContain('needs an input');
    expect(judgmentInputProblem(ok, { decision: 'reject' })).toBeUndefined();
  });

  it('is refused where the stage offers no options', () => {
    const plain = { ...ok, config: { ...ok.config, inputOptions: [] } };
    expect(judgmentInputProblem(plain, { decision: 'approve' })).toBeUndefined();
    expect(judgmentInputProblem(plain, { decision: 'approve', input: 'yes' })).toContain('offers no input options');
  });
});

describe('skip, restart and ignore past a rejected judgment', () => {
  for (const action of ['skip', 'restart', 'ignoreFailure'] as const) {
    it(`${action}: refused for non-admins on the judgment and on what it gates; admins must give a reason`, () => {
      for (const refId of ['ok', 'canary']) {
        expect(stageActionVerdict(eve, rejected, stage(rejected, refId), action)).toMatchObject({
          allowed: false,
          status: 403,
          reason: expect.stringContaining('only an admin, giving a reason'),
        });
        expect(stageActionVerdict(pia, rejected, stage(rejected, refId), action)).toMatchObject({ allowed: false, status: 403 });
        expect(stageActionVerdict(ada, rejected, stage(rejected, refId), action)).toEqual({ allowed: true, needsReason: true });
        expect(stageActionWithReason(ada, rejected, stage(rejected, refId), action, ' ')).toMatchObject({ allowed: false, status: 400, field: 'reason' });
        expect(stageActionWithReason(ada, rejected, stage(rejected, refId), action, 'incident 42').allowed).toBe(true);
      }
    });
  }

  it('holds under halt_branch too (the rejected judgment is STOPPED), and no longer once an admin skipped it', () => {
    const stopped: Execution = { ...rejected, stages: rejected.stages.map((s) => (s.refId === 'ok' ? { ...s, status: 'STOPPED' } : s)) };
    expect(stageActionVerdict(eve, stopped, stage(stopped, 'canary'), 'restart')).toMatchObject({ allowed: false, status: 403 });
    const skipped: Execution = { ...rejected, stages: rejected.stages.map((s) => (s.refId === 'ok' ? { ...s, status: 'SKIPPED' } : s)) };
    expect(stageActionVerdict(eve, skipped, stage(skipped, 'canary'), 'restart')).toEqual({ allowed: true, needsReason: false });
  });

  it('leaves ordinary actions as they were: restart without a reason, skip and ignore with one', () => {
    expect(stageActionVerdict(eve, waiting, stage(waiting, 'smoke'), 'restart')).toMatchObject({ allowed: false, status: 409 });
    const failed: Execution = { ...waiting, stages: waiting.stages.map((s) => (s.refId === 'ok' ? { ...s, status: 'TERMINAL', context: {} } : s)) };
    expect(stageActionVerdict(eve, failed, stage(failed, 'ok'), 'restart')).toEqual({ allowed: true, needsReason: false });
    expect(stageActionVerdict(eve, failed, stage(failed, 'ok'), 'ignoreFailure')).toEqual({ allowed: true, needsReason: true });
  });

  it("tells the state's refusals apart from the person's, so the dashboard can hide one and explain the other", () => {
    expect(stageStateProblem(rejected, stage(rejected, 'all'), 'restart')).toMatchObject({ field: 'refId' });
    expect(stageStateProblem(rejected, stage(rejected, 'ok'), 'restart')).toBeUndefined();
    expect(stageActionVerdict(sam, rejected, stage(rejected, 'ok'), 'restart')).toMatchObject({ status: 403, field: 'permission' });
  });
});
