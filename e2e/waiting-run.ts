import { expect, type APIRequestContext } from '@playwright/test';

/** Starts a run of storefront with a job printing for two minutes beside a judgment waiting for a person. */
export async function startWaitingRun(request: APIRequestContext, name: string): Promise<string> {
  const created = await request.post('/api/applications/storefront/pipelines', {
    data: {
      name,
      stages: [
        { refId: 'build', type: 'runJob', name: 'Build', config: { command: 'for i in $(seq 1 120); do echo "step $i"; sleep 1; done' } },
        { refId: 'promote', type: 'manualJudgment', name: 'Promote', config: { instructions: 'Check the build, then promote.' } },
      ],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const started = await request.post(`/api/pipelines/${((await created.json()) as { id: string }).id}/executions`, { data: {} });
  expect(started.status(), await started.text()).toBe(201);
  return ((await started.json()) as { id: string }).id;
}
