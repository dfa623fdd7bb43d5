import { describe, expect, it } from 'vitest';
import { Execution } from '../../../shared/domain/execution';
import type { Me } from '../../../shared/domain/user';
import { canJudge } from './can-judge';

const execution = Execution.parse({
  id: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b', application: 'web', pipelineId: '0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01', pipelineName: 'Deploy',
  pipelineRevision: 1, status: 'RUNNING', trigger: { type: 'manual', user: 'ana', parameters: {} }, createdAt: '2026-11-23T10:00:00.000Z',
  stages: [{ refId: 'ok', type: 'manualJudgment', name: 'Ship?', requisiteStageRefIds: [], failPolicy: 'halt_pipeline', status: 'SUSPENDED', config: { instructions: '', allowedRoles: ['approvers'], separationOfDuties: true } }],
});
const stage = execution.stages[0]!;
const person = (name: string, roles: string[], admin = false): Me => ({
  user: { name, displayName: name, admin, serviceAccount: false, disabled: false, createdAt: '2026-11-23T10:00:00.000Z', roles },
  grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }],
});

describe('canJudge', () => {
  it('lets a holder of an allowed role judge', () => {
    expect(canJudge(person('pia', ['approvers']), execution, stage)).toEqual({ allowed: true });
  });

  it('says which roles may, when the person has none of them', () => {
    expect(canJudge(person('olga', ['support']), execution, stage)).toEqual({ allowed: false, reason: 'Only the roles approvers may judge this stage; you have support.' });
  });

  it('refuses the person who started the execution, admins included (separation of duties)', () => {
    const decision = canJudge(person('ana', [], true), execution, stage);
    expect(decision.allowed).toBe(false);
    expect(decision).toMatchObject({ reason: expect.stringContaining('separation of duties') });
  });

  it('refuses when nobody is signed in', () => {
    expect(canJudge(undefined, execution, stage).allowed).toBe(false);
  });
});
