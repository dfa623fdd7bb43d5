import { Execution } from './execution';
import type { Me } from './user';

/**
 * One table of who-may-do-what cases, run through the real BFF and through the MSW mocks by their
 * tests: the mocks must refuse exactly what the server refuses, with the same status and field.
 */

const AT = '2026-11-23T10:00:00.000Z';
const person = (name: string, roles: string[], permission: 'READ' | 'EXECUTE' | undefined, admin = false): Me => ({
  user: { name, displayName: name, admin, serviceAccount: false, disabled: false, createdAt: AT, roles },
  grants: permission ? [{ resourceType: 'application', resource: 'web', permission }] : [],
});

export const RULE_PEOPLE = {
  /** Support staff: sees everything, changes nothing. */
  sam: person('sam', ['support'], 'READ'),
  /** An engineer who runs pipelines but is not an approver. */
  eve: person('eve', ['deployers'], 'EXECUTE'),
  pia: person('pia', ['approvers'], 'EXECUTE'),
  ada: person('ada', [], undefined, true),
} as const;
export type RulePerson = keyof typeof RULE_PEOPLE;

export type RuleExecutionKind = 'waiting' | 'rejected';

const judgment = {
  refId: 'ok',
  type: 'manualJudgment',
  name: 'Promote?',
  requisiteStageRefIds: ['smoke'],
  failPolicy: 'halt_pipeline',
  config: { instructions: 'Ship?', inputOptions: ['all', 'canary'], allowedRoles: ['approvers'], separationOfDuties: false },
} as const;
const gated = (refId: string, name: string) => ({
  refId,
  type: 'wait',
  name,
  requisiteStageRefIds: ['ok'],
  failPolicy: 'halt_pipeline',
  config: { seconds: 1 },
  status: 'NOT_STARTED',
});

/**
 * A run of application `web` waiting on the judgment "Promote?" (options all/canary, approvers
 * only) after a smoke test, or the same run after pia rejected it (a gated stage failed before).
 */
export function ruleExecution(kind: RuleExecutionKind, ids: { id: string; pipelineId: string }): Execution {
  const smoke = {
    refId: 'smoke',
    type: 'wait',
    name: 'Smoke',
    requisiteStageRefIds: [],
    failPolicy: 'halt_pipeline',
    config: { seconds: 1 },
    status: 'SUCCEEDED',
    startedAt: AT,
    endedAt: AT,
  };
  const waiting = kind === 'waiting';
  return Execution.parse({
    ...ids,
    application: 'web',
    pipelineName: 'Ship web',
    pipelineRevision: 1,
    status: waiting ? 'RUNNING' : 'TERMINAL',
    trigger: { type: 'manual', user: 'ana', parameters: {} },
    createdAt: AT,
    startedAt: AT,
    ...(waiting ? {} : { endedAt: AT }),
    stages: [
      smoke,
      waiting
        ? { ...judgment, status: 'SUSPENDED', startedAt: AT, context: { waitingSince: AT } }
        : {
            ...judgment,
            status: 'TERMINAL',
            startedAt: AT,
            endedAt: AT,
            error: 'rejected by pia: error rate too high',
            context: { judgment: { decision: 'reject', by: 'pia', at: AT, comment: 'error rate too high' } },
          },
      gated('all', 'All'),
      // A gated stage that ran and failed in an earlier attempt: still held by the rejection.
      waiting ? gated('canary', 'Canary') : { ...gated('canary', 'Canary'), status: 'TERMINAL', startedAt: AT, endedAt: AT, error: 'interrupted' },
    ],
  });
}

export interface RuleCase {
  name: string;
  who: RulePerson;
  execution: RuleExecutionKind;
  refId: string;
  action: 'judge' | 'skip' | 'restart' | 'ignoreFailure';
  body: Record<string, unknown>;
  status: 200 | 400 | 403 | 409;
  field?: string;
}

const reason = { reason: 'incident 42: the fix must ship' };
export const RULE_CASES: RuleCase[] = [
  {
    name: 'a READ-only support user cannot judge',
    who: 'sam',
    execution: 'waiting',
    refId: 'ok',
    action: 'judge',
    body: { decision: 'approve', input: 'all' },
    status: 403,
    field: 'permission',
  },
  {
    name: 'an EXECUTE user without the allowed role cannot judge',
    who: 'eve',
    execution: 'waiting',
    refId: 'ok',
    action: 'judge',
    body: { decision: 'approve', input: 'all' },
    status: 403,
  },
  {
    name: 'an input outside the options is a 400 naming input',
    who: 'pia',
    execution: 'waiting',
    refId: 'ok',
    action: 'judge',
    body: { decision: 'approve', input: 'Nope' },
    status: 400,
    field: 'input',
  },
  {
    name: 'an approval without an input, when there are options, is a 400 naming input',
    who: 'pia',
    execution: 'waiting',
    refId: 'ok',
    action: 'judge',
    body: { decision: 'approve' },
    status: 400,
    field: 'input',
  },
  { name: 'an approver approves with an option', who: 'pia', execution: 'waiting', refId: 'ok', action: 'judge', body: { decision: 'approve', input: 'canary' }, status: 200 },
  { name: 'an EXECUTE user without the allowed role cannot skip a waiting judgment', who: 'eve', execution: 'waiting', refId: 'ok', action: 'skip', body: reason, status: 403 },
  {
    name: 'a rejected judgment is already judged',
    who: 'pia',
    execution: 'rejected',
    refId: 'ok',
    action: 'judge',
    body: { decision: 'approve', input: 'all' },
    status: 409,
    field: 'refId',
  },
  ...(['skip', 'restart', 'ignoreFailure'] as const).flatMap((action): RuleCase[] => [
    { name: `${action} of a rejected judgment is refused for an EXECUTE user`, who: 'eve', execution: 'rejected', refId: 'ok', action, body: reason, status: 403 },
    { name: `${action} of a rejected judgment is refused for its approver`, who: 'pia', execution: 'rejected', refId: 'ok', action, body: reason, status: 403 },
    {
      name: `${action} of a stage gated by a rejected judgment is refused for an EXECUTE user`,
      who: 'eve',
      execution: 'rejected',
      refId: 'canary',
      action,
      body: reason,
      status: 403,
    },
    { name: `${action} of a rejected judgment by an admin with a reason is allowed`, who: 'ada', execution: 'rejected', refId: 'ok', action, body: reason, status: 200 },
    { name: `${action} of a gated stage by an admin with a reason is allowed`, who: 'ada', execution: 'rejected', refId: 'canary', action, body: reason, status: 200 },
    { name: `${action} by a READ-only support user is refused`, who: 'sam', execution: 'rejected', refId: 'ok', action, body: reason, status: 403, field: 'permission' },
  ]),
  {
    name: 'restart of a rejected judgment by an admin without a reason is a 400 naming reason',
    who: 'ada',
    execution: 'rejected',
    refId: 'ok',
    action: 'restart',
    body: {},
    status: 400,
    field: 'reason',
  },
  {
    name: 'restart of a gated stage that never ran is a conflict, even for an admin',
    who: 'ada',
    execution: 'rejected',
    refId: 'all',
    action: 'restart',
    body: reason,
    status: 409,
    field: 'refId',
  },
];
