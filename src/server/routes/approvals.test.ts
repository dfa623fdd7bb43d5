import { describe, expect, it } from 'vitest';
import { Execution } from '../../shared/domain/execution';
import { useExecutionApi } from '../test-http';

const { call } = useExecutionApi();

async function waitingExecution(name: string): Promise<string> {
  const stages = [{ refId: 'ok', type: 'manualJudgment', name: 'Approve', config: { instructions: `Ship ${name}?` } }];
  const created = await call('POST', '/api/applications/web/pipelines', { name, stages });
  expect(created.status).toBe(201);
  const started = await call('POST', `/api/pipelines/${created.body.id as string}/executions`, {});
  const id = started.body.id as string;
  for (let i = 0; i < 100; i += 1) {
    const e = Execution.parse((await call('GET', `/api/executions/${id}`)).body);
    if (e.stages[0]!.status === 'SUSPENDED') return id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the judgment never started waiting');
}

const inbox = async () => (await call('GET', '/api/approvals')).body.judgments as Array<{ execution: { id: string }; refId: string; waitingSince?: string }>;

describe('approvals inbox', () => {
  it('lists waiting judgments newest first and drops one once judged', async () => {
    const first = await waitingExecution('First');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await waitingExecution('Second');
    const waiting = await inbox();
    expect(waiting.map((j) => j.execution.id).filter((id) => id === first || id === second)).toEqual([second, first]);
    expect(waiting.find((j) => j.execution.id === first)).toMatchObject({ refId: 'ok', waitingSince: expect.any(String) });

    expect((await call('POST', `/api/executions/${second}/stages/ok/judgment`, { decision: 'reject', comment: 'no' })).status).toBe(200);
    expect((await inbox()).map((j) => j.execution.id)).not.toContain(second);
    expect((await inbox()).map((j) => j.execution.id)).toContain(first);
  });
});
