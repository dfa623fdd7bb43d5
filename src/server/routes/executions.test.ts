import { describe, expect, it } from 'vitest';
import { Execution } from '../../shared/domain/execution';
import { useExecutionApi } from '../test-http';

const api = useExecutionApi();
const { call, until } = api;
const pipelineWith = (stages: unknown[], name: string, extra: Record<string, unknown> = {}) => api.pipelineWith(name, stages, extra);

const judgment = [
  { refId: 'vars', type: 'evaluateVariables', name: 'Vars', config: { variables: [{ key: 'who', value: '${ trigger.user }' }] } },
  { refId: 'ok', type: 'manualJudgment', name: 'Approve', requisiteStageRefIds: ['vars'], config: { instructions: 'Ship?' } },
];

describe('executions', () => {
  it('starts a pipeline, waits for a judgment, records one approval and refuses the second', async () => {
    const pipelineId = await pipelineWith(judgment, 'Release');
    const started = await call('POST', `/api/pipelines/${pipelineId}/executions`, {});
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const waiting = await until(id, (e) => e.stages[1]!.status === 'SUSPENDED');
    expect(waiting.stages[0]!.outputs).toEqual({ who: 'ana' });

    const noComment = await call('POST', `/api/executions/${id}/stages/ok/judgment`, { decision: 'reject' });
    expect(noComment.status).toBe(400);
    expect(noComment.body.field).toBe('comment');

    const approved = await call('POST', `/api/executions/${id}/stages/ok/judgment`, { decision: 'approve', comment: 'looks good' });
    expect(approved.status).toBe(200);
    const again = await call('POST', `/api/executions/${id}/stages/ok/judgment`, { decision: 'approve' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/^Already judged: approve by ana/);
    expect((await until(id, (e) => e.status === 'SUCCEEDED')).stages[1]!.status).toBe('SUCCEEDED');
  });

  it('cancels with a reason, once', async () => {
    const pipelineId = await pipelineWith([{ refId: 'w', type: 'wait', name: 'Long wait', config: { seconds: 3600 } }], 'Slow');
    const { body } = await call('POST', `/api/pipelines/${pipelineId}/executions`, {});
    await until(body.id, (e) => e.stages[0]!.status === 'RUNNING');
    expect((await call('POST', `/api/executions/${body.id}/cancel`, { reason: ' ' })).body.field).toBe('reason');
    const canceled = await call('POST', `/api/executions/${body.id}/cancel`, { reason: 'wrong build' });
    expect(canceled.body).toMatchObject({ status: 'CANCELED', cancelReason: 'wrong build', canceledBy: 'ana' });
    expect(canceled.body.stages[0].status).toBe('CANCELED');
    expect((await call('POST', `/api/executions/${body.id}/cancel`, { reason: 'again' })).status).toBe(409);
  });

  it('lists newest first with cursor paging and filters, and rejects bad paging input', async () => {
    const first = await call('GET', '/api/applications/web/executions?limit=1');
    expect(first.status).toBe(200);
    expect(first.body.executions).toHaveLength(1);
    expect(first.body.executions[0].pipelineName).toBe('Slow');
    const second = await call('GET', `/api/applications/web/executions?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.executions[0].pipelineName).toBe('Release');
    expect(second.body.nextCursor).toBeUndefined();
    const canceled = await call('GET', '/api/applications/web/executions?status=CANCELED');
    expect(canceled.body.executions.map((e: Execution) => e.pipelineName)).toEqual(['Slow']);
    expect((await call('GET', '/api/applications/web/executions?limit=500')).body.field).toBe('limit');
    expect((await call('GET', '/api/applications/web/executions?cursor=bogus')).body.field).toBe('cursor');
    expect((await call('GET', '/api/applications/web/executions?status=DONE')).body.field).toBe('status');
    expect((await call('GET', '/api/applications/ghost/executions')).status).toBe(404);
  });

  it('refuses a disabled pipeline and bad parameters, naming the parameter', async () => {
    const off = await pipelineWith([{ refId: 'w', type: 'wait', name: 'W', config: { seconds: 1 } }], 'Off', { disabled: true });
    const refused = await call('POST', `/api/pipelines/${off}/executions`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe("Pipeline 'Off' is disabled.");
    const params = await pipelineWith([], 'Params', { parameters: [{ name: 'version', required: true }] });
    expect((await call('POST', `/api/pipelines/${params}/executions`, {})).body.field).toBe('parameters.version');
    expect((await call('POST', `/api/pipelines/${params}/executions`, { parameters: { version: '1', x: 'y' } })).body.field).toBe('parameters.x');
    expect((await call('POST', '/api/pipelines/00000000-0000-4000-8000-000000000000/executions', {})).status).toBe(404);
    expect((await call('GET', '/api/executions/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('pages through a job log by sequence number, per stage, and names bad paging input', async () => {
    const pipelineId = await pipelineWith([{ refId: 'build', type: 'runJob', name: 'Build', config: { command: 'for i in 1 2 3 4 5; do echo "line $i"; done' } }], 'Logs');
    const { body } = await call('POST', `/api/pipelines/${pipelineId}/executions`, {});
    await until(body.id, (e) => e.status === 'SUCCEEDED');
    const first = await call('GET', `/api/executions/${body.id}/logs?limit=2`);
    expect(first.body).toEqual({
      lines: [
        { seq: 1, refId: 'build', line: 'line 1', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
        { seq: 2, refId: 'build', line: 'line 2', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
      ],
      nextAfter: 2,
      earlier: 0,
    });
    expect(Date.now() - Date.parse(first.body.lines[0].at)).toBeLessThan(60_000);
    const rest = await call('GET', `/api/executions/${body.id}/logs?stage=build&after=2`);
    expect(rest.body.lines.map((l: { line: string }) => l.line)).toEqual(['line 3', 'line 4', 'line 5']);
    expect((await call('GET', `/api/executions/${body.id}/logs?after=5`)).body).toEqual({ lines: [], nextAfter: 5, earlier: 5 });
    expect((await call('GET', `/api/executions/${body.id}/logs?after=2&limit=1`)).body.earlier).toBe(2);
    expect((await call('GET', `/api/executions/${body.id}/logs?after=-1`)).body.field).toBe('after');
    expect((await call('GET', `/api/executions/${body.id}/logs?limit=99999`)).body.field).toBe('limit');
    expect((await call('GET', `/api/executions/${body.id}/logs?stage=nope`)).status).toBe(404);
  });

  it('opens a log at its tail and pages backwards with before, and names conflicting cursors', async () => {
    const pipelineId = await pipelineWith(
      [{ refId: 'build', type: 'runJob', name: 'Build', config: { command: 'for i in $(seq 1 30); do echo "line $i"; [ $((i % 7)) = 0 ] && sleep 0.5; done; true' } }],
      'Tail',
    );
    const { body } = await call('POST', `/api/pipelines/${pipelineId}/executions`, {});
    await until(body.id, (e) => e.status === 'SUCCEEDED', 200);
    const text = (r: { body: { lines: Array<{ line: string }> } }) => r.body.lines.map((l) => l.line);
    const stamps = (r: { body: { lines: Array<{ at: string }> } }) => r.body.lines;
    const tail = await call('GET', `/api/executions/${body.id}/logs?stage=build&tail=true&limit=4`);
    expect(tail.status, JSON.stringify(tail.body)).toBe(200);
    expect(text(tail)).toEqual(['line 27', 'line 28', 'line 29', 'line 30']);
    expect(tail.body).toMatchObject({ nextAfter: 30, earlier: 26 });
    const earlier = await call('GET', `/api/executions/${body.id}/logs?stage=build&before=${tail.body.lines[0].seq}&limit=25`);
    expect(text(earlier)).toEqual(Array.from({ length: 25 }, (_, i) => `line ${i + 2}`));
    expect(earlier.body.earlier).toBe(1);
    const first = await call('GET', `/api/executions/${body.id}/logs?stage=build&before=${earlier.body.lines[0].seq}&limit=25`);
    expect(text(first)).toEqual(['line 1']);
    expect(first.body.earlier).toBe(0);
    // The job slept between groups of lines, so the log is stored in several chunks the pages cut across.
    expect(new Set(stamps(earlier).map((l) => l.at)).size).toBeGreaterThan(1);
    const whole = await call('GET', `/api/executions/${body.id}/logs?tail=true`);
    expect(whole.body.lines).toHaveLength(30);
    expect(whole.body.earlier).toBe(0);

    for (const [query, field] of [
      ['tail=yes', 'tail'],
      ['before=0', 'before'],
      ['before=x', 'before'],
      ['tail=true&before=3', 'tail'],
      ['after=3&before=9', 'after'],
      ['after=3&tail=true', 'after'],
    ] as const) {
      const bad = await call('GET', `/api/executions/${body.id}/logs?${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body.field, query).toBe(field);
    }
  });

  it('skips, ignores and restarts stages through the API, with clear refusals', async () => {
    const pipelineId = await pipelineWith(
      [
        { refId: 'check', type: 'checkPreconditions', name: 'Check', config: { preconditions: [{ type: 'expression', expression: '${ 1 == 2 }' }] } },
        { refId: 'after', type: 'evaluateVariables', name: 'After', requisiteStageRefIds: ['check'], config: { variables: [{ key: 'x', value: '1' }] } },
      ],
      'Ops',
    );
    const { body } = await call('POST', `/api/pipelines/${pipelineId}/executions`, {});
    await until(body.id, (e) => e.status === 'TERMINAL');
    const base = `/api/executions/${body.id}/stages`;
    expect((await call('POST', `${base}/check/ignore-failure`, { reason: '' })).body.field).toBe('reason');
    expect((await call('POST', `${base}/nope/skip`, { reason: 'x' })).status).toBe(404);
    expect((await call('POST', `${base}/after/skip`, { reason: 'x' })).status).toBe(409);
    const ignored = await call('POST', `${base}/check/ignore-failure`, { reason: 'expected in staging' });
    expect(ignored.status).toBe(200);
    const done = await until(body.id, (e) => e.status === 'SUCCEEDED');
    expect(done.stages.map((s) => s.status)).toEqual(['FAILED_CONTINUE', 'SUCCEEDED']);
    const restarted = await call('POST', `${base}/after/restart`, {});
    expect(restarted.status).toBe(200);
    expect((await until(body.id, (e) => e.status === 'SUCCEEDED' && e.stages[1]!.attempt === 2)).stages[1]!.status).toBe('SUCCEEDED');
  });
});
