import { beforeEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../shared/domain/pipeline';
import type { Repositories } from '../db/types';
import { EngineError, type Engine } from './index';
import { MANUAL, person, useEngineTest } from './test-engine';

const t = useEngineTest();
let repos: Repositories;
beforeEach(() => {
  repos = t.repos;
});
const { later, pipeline } = t;
const manual = MANUAL;
const engine = (owner = 'test-a'): Engine => t.engine({ owner });
const statuses = async (id: string) => Object.fromEntries((await repos.executions.get(id))!.stages.map((s) => [s.refId, s.status]));

describe('engine', () => {
  it('runs stages in order, passes outputs through expressions, and waits on the clock', async () => {
    const e = engine();
    const p = await pipeline([
      { refId: 'vars', type: 'evaluateVariables', name: 'Vars', config: { variables: [{ key: 'replicas', value: '${ 1 == 1 }' }] } },
      {
        refId: 'check',
        type: 'checkPreconditions',
        name: 'Check',
        requisiteStageRefIds: ['vars'],
        config: { preconditions: [{ type: 'expression', expression: "${ stages['Vars'].outputs.replicas == true }" }] },
      },
      { refId: 'soak', type: 'wait', name: 'Soak', requisiteStageRefIds: ['check'], config: { seconds: 60 } },
    ]);
    const { id } = await e.start(p, manual);
    await e.tick();
    expect(await statuses(id)).toEqual({ vars: 'SUCCEEDED', check: 'SUCCEEDED', soak: 'RUNNING' });
    later(59);
    await e.tick();
    expect((await statuses(id)).soak).toBe('RUNNING');
    later(2);
    await e.tick();
    const done = (await repos.executions.get(id))!;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stages[0]!.outputs).toEqual({ replicas: true });
    const events = await repos.events.after(0, { executionId: id }, 100);
    expect(events.map((ev) => ev.type)).toEqual(['execution.created', 'execution.status', ...Array(6).fill('stage.status'), 'execution.status']);
  });

  it('resumes after its owner dies: another process takes over when the lease expires, without restarting the wait', async () => {
    const a = engine('process-a');
    const p = await pipeline([{ refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 120 } }]);
    const { id } = await a.start(p, manual);
    await a.tick();
    // When the wait is due, process A takes the lease and is killed before it gives it back.
    later(120);
    expect((await repos.executions.claim('process-a', t.now(), 30_000, 10)).map((l) => l.id)).toEqual([id]);
    const b = engine('process-b');
    expect(await b.tick()).toBe(0); // A's lease is still fresh
    later(31);
    expect(await b.tick()).toBe(1);
    expect((await repos.executions.get(id))!.status).toBe('SUCCEEDED');
  });

  it('waits for a judgment, records exactly one of two at once, and refuses a late one', async () => {
    const e = engine();
    const p = await pipeline([{ refId: 'ok', type: 'manualJudgment', name: 'Approve', config: { instructions: 'Ship?', inputOptions: ['all', 'canary'] } }]);
    const { id } = await e.start(p, manual);
    await e.tick();
    expect((await statuses(id)).ok).toBe('SUSPENDED');
    const results = await Promise.allSettled([
      e.judge(id, 'ok', { decision: 'approve', by: 'bo', me: person('bo'), input: 'canary' }),
      e.judge(id, 'ok', { decision: 'reject', by: 'cy', me: person('cy'), comment: 'no' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    await e.tick();
    const done = (await repos.executions.get(id))!;
    const winner = (done.stages[0]!.context.judgment as { by: string }).by;
    expect(done.status).toBe(winner === 'bo' ? 'SUCCEEDED' : 'TERMINAL');
    const late = e.judge(id, 'ok', { decision: 'approve', by: 'di', me: person('di') });
    await expect(late).rejects.toThrow(`Already judged`);
    await expect(late).rejects.toBeInstanceOf(EngineError);
    expect((await repos.events.after(0, { executionId: id }, 100)).filter((ev) => ev.type === 'judgment.recorded')).toHaveLength(1);
  });

  it('shows the judge the instructions with their expressions filled in, and skips a judgment whose condition is false', async () => {
    const e = engine();
    const p = await pipeline([
      { refId: 'ok', type: 'manualJudgment', name: 'Approve', config: { instructions: 'Ship ${ execution.application } for ${ trigger.user }? ${ nope.x }' } },
      { refId: 'auto', type: 'manualJudgment', name: 'Auto', condition: "${ trigger.user == 'robot' }", config: { instructions: 'never asked' } },
    ]);
    const { id } = await e.start(p, manual);
    await e.tick();
    const waiting = (await repos.executions.get(id))!;
    // Kiln's expressions are filled in; `${ … }` that is not one of Kiln's (a shell's, say) stays as written.
    expect(waiting.stages[0]!.context.instructions).toBe('Ship web for ana? ${ nope.x }');
    expect(waiting.stages[1]!.status).toBe('SKIPPED');
  });

  it('a rejection ends the execution with who rejected and why', async () => {
    const e = engine();
    const p = await pipeline([
      { refId: 'ok', type: 'manualJudgment', name: 'Approve', config: { instructions: 'Ship?' } },
      { refId: 'after', type: 'wait', name: 'After', requisiteStageRefIds: ['ok'], config: { seconds: 1 } },
    ]);
    const { id } = await e.start(p, manual);
    await e.tick();
    await e.judge(id, 'ok', { decision: 'reject', by: 'bo', me: person('bo'), comment: 'error rate too high' });
    await e.tick();
    const done = (await repos.executions.get(id))!;
    expect(done.status).toBe('TERMINAL');
    expect(done.stages[0]).toMatchObject({ status: 'TERMINAL', error: 'rejected by bo: error rate too high' });
    expect(done.stages[1]!.status).toBe('NOT_STARTED');
  });

  it('halt_pipeline cancels the parallel branch; ignore lets the next stage run', async () => {
    const e = engine();
    const failing = { type: 'expression', expression: '${ 1 == 2 }', failureMessage: 'one is not two' };
    const halt = await pipeline([
      { refId: 'bad', type: 'checkPreconditions', name: 'Bad', config: { preconditions: [failing] } },
      { refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 30 } },
    ]);
    const first = await e.start(halt, manual);
    await e.tick();
    expect((await repos.executions.get(first.id))!.status).toBe('TERMINAL');
    expect(await statuses(first.id)).toEqual({ bad: 'TERMINAL', soak: 'CANCELED' });
    expect((await repos.executions.get(first.id))!.stages[0]!.error).toBe('one is not two');

    const ignore = await pipeline([
      { refId: 'bad', type: 'checkPreconditions', name: 'Bad', failPolicy: 'ignore', config: { preconditions: [failing] } },
      { refId: 'next', type: 'evaluateVariables', name: 'Next', requisiteStageRefIds: ['bad'], config: { variables: [{ key: 'x', value: "${ stages['Bad'].status }" }] } },
    ]);
    const second = await e.start(ignore, manual);
    await e.tick();
    const done = (await repos.executions.get(second.id))!;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stages[1]!.outputs).toEqual({ x: 'FAILED_CONTINUE' });
  });

  it('skips a stage whose condition is false, and can be canceled with a reason', async () => {
    const e = engine();
    const p = await pipeline(
      [
        { refId: 'maybe', type: 'wait', name: 'Maybe', condition: "${ parameters.env == 'prod' }", config: { seconds: 5 } },
        { refId: 'long', type: 'wait', name: 'Long', requisiteStageRefIds: ['maybe'], config: { seconds: 3600 } },
      ],
      { parameters: [{ name: 'env', default: 'staging', options: ['staging', 'prod'] }] },
    );
    const { id } = await e.start(p, manual);
    await e.tick();
    expect(await statuses(id)).toEqual({ maybe: 'SKIPPED', long: 'RUNNING' });
    const canceled = await e.cancel(id, 'ana', 'wrong build');
    expect(canceled).toMatchObject({ status: 'CANCELED', canceledBy: 'ana', cancelReason: 'wrong build' });
    expect(await e.tick()).toBe(0);
    await expect(e.cancel(id, 'ana', 'again')).rejects.toThrow('already ended as CANCELED');
  });

  it('refuses to start a disabled pipeline or bad parameters, naming the parameter', async () => {
    const e = engine();
    const off = await pipeline([{ refId: 'w', type: 'wait', name: 'W', config: { seconds: 1 } }], { disabled: true });
    await expect(e.start(off, manual)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/is disabled\.$/) });
    const params = await pipeline([], {
      parameters: [
        { name: 'version', required: true },
        { name: 'env', options: ['a'], default: 'a' },
      ],
    });
    await expect(e.start(params, manual)).rejects.toMatchObject({ field: 'parameters.version' });
    await expect(e.start(params, { ...manual, parameters: { version: '1', env: 'b' } })).rejects.toThrow('must be one of a');
    await expect(e.start(params, { ...manual, parameters: { version: '1', colour: 'x' } })).rejects.toThrow("unknown parameter 'colour'");
  });
});

describe('pipeline stage', () => {
  it('starts the other pipeline once, waits for it, and fails with its failure', async () => {
    const e = engine();
    const child = await repos.pipelines.create(
      PipelineDraft.parse({
        application: 'web',
        name: 'Child',
        parameters: [{ name: 'env' }],
        stages: [{ refId: 'v', type: 'evaluateVariables', name: 'V', config: { variables: [{ key: 'env', value: '${ parameters.env }' }] } }],
      }),
      'ana',
    );
    const parent = await pipeline([
      { refId: 'run', type: 'pipeline', name: 'Run child', config: { application: 'web', pipeline: 'Child', parameters: { env: '${ trigger.user }-env' } } },
    ]);
    const { id } = await e.start(parent, manual);
    for (let i = 0; i < 5; i += 1) {
      later(2);
      await e.tick();
    }
    const done = (await repos.executions.get(id))!;
    expect(done.status).toBe('SUCCEEDED');
    const childId = String(done.stages[0]!.outputs.childExecutionId);
    const ran = (await repos.executions.get(childId))!;
    expect(ran).toMatchObject({ pipelineId: child.id, status: 'SUCCEEDED', trigger: { type: 'pipeline', parentExecutionId: id, parameters: { env: 'ana-env' } } });
    expect((await repos.executions.list('web', { limit: 50 })).executions.filter((x) => x.pipelineId === child.id)).toHaveLength(1);

    const missing = await pipeline([{ refId: 'run', type: 'pipeline', name: 'Run missing', config: { application: 'web', pipeline: 'Nope' } }]);
    const failed = await e.start(missing, manual);
    await e.tick();
    expect((await repos.executions.get(failed.id))!.stages[0]!.error).toBe("application 'web' has no pipeline 'Nope'");
  });
});

describe('operations on stages', () => {
  const failing = { preconditions: [{ type: 'expression', expression: "${ parameters.go == 'yes' }", failureMessage: 'go is not yes' }] };

  it('ignore failure: the failed stage becomes FAILED_CONTINUE with who and why, and what follows runs', async () => {
    const e = engine();
    const p = await pipeline(
      [
        { refId: 'check', type: 'checkPreconditions', name: 'Check', config: failing },
        { refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 60 } },
        { refId: 'next', type: 'evaluateVariables', name: 'Next', requisiteStageRefIds: ['check'], config: { variables: [{ key: 'x', value: '1' }] } },
      ],
      { parameters: [{ name: 'go', default: 'no' }] },
    );
    const { id } = await e.start(p, manual);
    await e.tick();
    expect((await repos.executions.get(id))!.status).toBe('TERMINAL');
    expect(await statuses(id)).toEqual({ check: 'TERMINAL', soak: 'CANCELED', next: 'NOT_STARTED' });

    await e.ignoreFailure(id, 'check', 'ana', 'known flake in the check', person('ana'));
    await e.tick();
    // The branch canceled only because of the halt runs again.
    expect(await statuses(id)).toEqual({ check: 'FAILED_CONTINUE', soak: 'RUNNING', next: 'SUCCEEDED' });
    expect((await repos.executions.get(id))!.stages[0]!.context.failureIgnored).toMatchObject({ by: 'ana', reason: 'known flake in the check' });
    later(61);
    await e.tick();
    expect((await repos.executions.get(id))!.status).toBe('SUCCEEDED');
    await expect(e.ignoreFailure(id, 'check', 'ana', 'again', person('ana'))).rejects.toThrow('only a failed stage');
  });

  it('restart runs the stage and everything after it again, with a higher attempt', async () => {
    const e = engine();
    const p = await pipeline(
      [
        { refId: 'a', type: 'evaluateVariables', name: 'A', config: { variables: [{ key: 'x', value: '1' }] } },
        { refId: 'b', type: 'checkPreconditions', name: 'B', requisiteStageRefIds: ['a'], config: failing },
        { refId: 'c', type: 'evaluateVariables', name: 'C', requisiteStageRefIds: ['b'], config: { variables: [{ key: 'y', value: '2' }] } },
      ],
      { parameters: [{ name: 'go', default: 'no' }] },
    );
    const { id } = await e.start(p, manual);
    await e.tick();
    expect(await statuses(id)).toEqual({ a: 'SUCCEEDED', b: 'TERMINAL', c: 'NOT_STARTED' });
    const restarted = await e.restartStage(id, 'b', 'ana', person('ana'));
    // The engine picks the execution up at once, so in this answer b may already be running again,
    // or (it fails fast) have failed again and ended the execution.
    expect(['RUNNING', 'TERMINAL']).toContain(restarted.status);
    expect(restarted.stages.map((s) => `${s.refId}:${s.attempt}`)).toEqual(['a:1', 'b:2', 'c:2']);
    expect(restarted.stages.map((s) => s.status)).toEqual(['SUCCEEDED', expect.stringMatching(/^(NOT_STARTED|RUNNING|TERMINAL)$/), 'NOT_STARTED']);
    await e.tick();
    // Same inputs, same failure: restart does not pretend; it runs the stage for real again.
    expect((await repos.executions.get(id))!.stages[1]).toMatchObject({ status: 'TERMINAL', error: 'go is not yes', attempt: 2 });
    await expect(e.restartStage(id, 'zzz', 'ana', person('ana'))).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('skip ends a wait early with who and why; a running job cannot be skipped', async () => {
    const e = engine();
    const p = await pipeline([
      { refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 3600 } },
      { refId: 'after', type: 'evaluateVariables', name: 'After', requisiteStageRefIds: ['soak'], config: { variables: [{ key: 'x', value: '1' }] } },
    ]);
    const { id } = await e.start(p, manual);
    await e.tick();
    await e.skipStage(id, 'soak', 'ana', 'enough soaking', person('ana'));
    await e.tick();
    const done = (await repos.executions.get(id))!;
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stages[0]).toMatchObject({ status: 'SKIPPED', context: { skipped: { by: 'ana', reason: 'enough soaking' } } });
    await expect(e.skipStage(id, 'after', 'ana', 'x', person('ana'))).rejects.toThrow('only a waiting (wait, judgment) or failed stage can be skipped');
  });

  it('leaves an execution a person canceled alone', async () => {
    const e = engine();
    const p = await pipeline([{ refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 3600 } }]);
    const { id } = await e.start(p, manual);
    await e.tick();
    await e.cancel(id, 'bo', 'bad idea');
    await expect(e.restartStage(id, 'soak', 'ana', person('ana'))).rejects.toThrow('canceled by bo; start a new one instead');
  });
});
