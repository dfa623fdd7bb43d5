import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Execution } from '../../shared/domain/execution';
import { useExecutionApi } from '../test-http';

const { call, pipelineWith, until } = useExecutionApi();

const longWait = [{ refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 3600 } }];

describe('pause and resume over HTTP', () => {
  it('pauses with a reason, refuses a second pause (409), resumes, and lists it as running', async () => {
    const pipelineId = await pipelineWith('Pausable', longWait);
    const { body: started } = await call('POST', `/api/pipelines/${pipelineId}/executions`, {});
    await until(started.id, (e) => e.stages[0]!.status === 'RUNNING');
    const paused = await call('POST', `/api/executions/${started.id}/pause`, { reason: 'alert in prod' });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'PAUSED', paused: { by: 'ana', reason: 'alert in prod' } });
    const again = await call('POST', `/api/executions/${started.id}/pause`, {});
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/PAUSED; only a running execution can be paused/);
    const resumed = await call('POST', `/api/executions/${started.id}/resume`, {});
    expect(resumed.body).toMatchObject({ status: 'RUNNING', paused: { resumedBy: 'ana' } });
    expect((await call('POST', `/api/executions/${started.id}/resume`, {})).status).toBe(409);

    const running = await call('GET', '/api/executions?status=RUNNING,PAUSED&application=web');
    expect(running.body.executions.map((e: Execution) => e.id)).toContain(started.id);
    await call('POST', `/api/executions/${started.id}/cancel`, { reason: 'done testing' });
    const after = await call('GET', '/api/executions?status=RUNNING,PAUSED');
    expect(after.body.executions.map((e: Execution) => e.id)).not.toContain(started.id);
  });

  it('filters the cross-application list by trigger and time, and names a bad filter', async () => {
    const pipelineId = await pipelineWith('Listed', [{ refId: 'w', type: 'wait', name: 'W', config: { seconds: 0 } }], { concurrency: { limitConcurrent: false } });
    const { body: run } = await call('POST', `/api/pipelines/${pipelineId}/executions`, {});
    const manual = await call('GET', `/api/executions?trigger=manual&since=${encodeURIComponent(run.createdAt)}`);
    expect(manual.body.executions.map((e: Execution) => e.id)).toContain(run.id);
    expect((await call('GET', '/api/executions?trigger=cron')).body.executions).toEqual([]);
    const before = await call('GET', `/api/executions?until=${encodeURIComponent(run.createdAt)}`);
    expect(before.body.executions.map((e: Execution) => e.id)).not.toContain(run.id);
    for (const [query, field] of [
      ['status=RUNNING,NAPPING', 'status'],
      ['since=yesterday', 'since'],
      ['trigger=carrier-pigeon', 'trigger'],
      ['application=ghost', 'application'],
    ]) {
      const bad = await call('GET', `/api/executions?${query}`);
      expect([400, 404]).toContain(bad.status);
      expect(bad.body.field).toBe(field);
    }
  });
});

describe('webhook triggers', () => {
  const secret = 'a-shared-secret-of-32-characters!';
  const sign = (body: string, key = secret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
  const post = (id: string, body: string, headers: Record<string, string>) =>
    call('POST', `/api/pipelines/${id}/webhook`, body, { 'content-type': 'application/json', ...headers });

  it('starts a run for a correctly signed body, once per delivery id', async () => {
    const id = await pipelineWith('Hooked', longWait, {
      triggers: [{ type: 'webhook', secret }],
      parameters: [{ name: 'version', required: true }],
      concurrency: { limitConcurrent: false },
    });
    const body = JSON.stringify({ parameters: { version: '1.4.2' } });
    const first = await post(id, body, { 'x-kiln-signature': sign(body), 'x-kiln-delivery': 'd-1' });
    expect(first.status).toBe(202);
    expect(first.body.duplicate).toBe(false);
    const retry = await post(id, body, { 'x-kiln-signature': sign(body), 'x-kiln-delivery': 'd-1' });
    expect(retry.body).toMatchObject({ executionId: first.body.executionId, duplicate: true });
    const run = await until(first.body.executionId, () => true);
    // The run acts as the person who set the trigger up (the test admin saved the pipeline).
    expect(run.trigger).toMatchObject({ type: 'webhook', user: 'ana', parameters: { version: '1.4.2' } });
    await call('POST', `/api/executions/${run.id}/cancel`, { reason: 'test over' });
  });

  it('refuses a missing or wrong signature (401), a pipeline without a webhook trigger (409), bad JSON and parameters (400)', async () => {
    const id = await pipelineWith('Guarded', longWait, { triggers: [{ type: 'webhook', secret }], parameters: [{ name: 'version', required: true }] });
    const body = JSON.stringify({ parameters: { version: '2' } });
    const missing = await post(id, body, {});
    expect(missing).toMatchObject({ status: 401, body: { field: 'x-kiln-signature' } });
    const wrong = await post(id, body, { 'x-kiln-signature': sign(body, 'another-secret-of-enough-length') });
    expect(wrong.status).toBe(401);
    const tampered = await post(id, body.replace('2', '3'), { 'x-kiln-signature': sign(body) });
    expect(tampered.status).toBe(401);
    const broken = '{"parameters": ';
    expect((await post(id, broken, { 'x-kiln-signature': sign(broken) })).status).toBe(400);
    const noParam = JSON.stringify({ parameters: {} });
    const missingParam = await post(id, noParam, { 'x-kiln-signature': sign(noParam) });
    expect(missingParam).toMatchObject({ status: 400, body: { field: 'parameters.version' } });
    const manualOnly = await pipelineWith('Manual only', longWait);
    const noHook = await post(manualOnly, body, { 'x-kiln-signature': sign(body) });
    // The caller is anonymous: the answer does not name the pipeline.
    expect(noHook).toMatchObject({ status: 409, body: { message: 'This pipeline has no enabled webhook trigger.' } });
    expect((await post('00000000-0000-4000-8000-000000000000', body, { 'x-kiln-signature': sign(body) })).status).toBe(404);
  });
});
