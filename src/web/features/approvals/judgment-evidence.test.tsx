import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Execution } from '../../../shared/domain/execution';
import { JudgmentEvidence } from './judgment-evidence';

const at = '2026-11-23T10:00:00.000Z';
const traffic = (requests: number, errors: number, p50Ms: number, p95Ms: number) => ({
  requests,
  errors,
  errorRatePct: Math.round((errors / requests) * 10_000) / 100,
  p50Ms,
  p95Ms,
  meanMs: p50Ms - 1.5,
});

function execution(deploy: { outputs?: Record<string, unknown>; context?: Record<string, unknown>; status: string }) {
  return Execution.parse({
    id: '3f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91',
    application: 'storefront',
    pipelineId: '4f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91',
    pipelineName: 'Release',
    pipelineRevision: 1,
    status: 'RUNNING',
    trigger: { type: 'manual', user: 'ana', parameters: { version: '1.4.2' } },
    createdAt: at,
    stages: [
      {
        refId: 'canary',
        type: 'deploy',
        name: 'Canary prod',
        requisiteStageRefIds: [],
        failPolicy: 'halt_pipeline',
        status: deploy.status,
        outputs: deploy.outputs ?? {},
        context: deploy.context ?? {},
      },
      { refId: 'ok', type: 'manualJudgment', name: 'Promote', requisiteStageRefIds: ['canary'], failPolicy: 'halt_pipeline', status: 'SUSPENDED' },
    ],
  });
}

const cells = (table: HTMLElement, metric: string) =>
  within(within(table).getByRole('rowheader', { name: metric }).closest('tr')!)
    .getAllByRole('cell')
    .map((c) => c.textContent);

describe('judgment evidence', () => {
  it('shows the canary numbers against the baseline when a canary deploy ran before the judgment', () => {
    const e = execution({
      status: 'SUCCEEDED',
      outputs: { serverGroup: 'storefront-prod-v004', canaryAnalysis: { pass: true, canary: traffic(120, 1, 25, 50), baseline: traffic(1080, 5, 25, 100), reasons: [] } },
    });
    render(<JudgmentEvidence execution={e} stage={e.stages[1]!} />);
    const table = screen.getByRole('table', { name: 'Canary numbers of Canary prod' });
    expect(cells(table, 'Requests')).toEqual(['1,080', '120']);
    expect(cells(table, 'Error rate')).toEqual(['0.46%', '0.83%']);
    expect(cells(table, 'Median latency')).toEqual(['≤25 ms', '≤25 ms']);
    expect(cells(table, 'p95 latency')).toEqual(['≤100 ms', '≤50 ms']);
    expect(screen.getByText('passed')).toBeTruthy();
    // The analysis is a table, not a JSON blob among the other outputs.
    const outputs = document.querySelector('dl[aria-label="Outputs of Canary prod"]')!;
    expect(outputs.textContent).toBe('server groupstorefront-prod-v004');
    expect(document.body.textContent).not.toContain('serverGroup=');
    expect(document.body.textContent).not.toContain('"errorRatePct"');
  });

  it('shows a failed canary with its reasons (recorded in the stage context)', () => {
    const e = execution({
      status: 'FAILED_CONTINUE',
      context: {
        canaryAnalysis: { pass: false, canary: traffic(100, 20, 80, 200), baseline: traffic(900, 9, 25, 50), reasons: ['error rate 20% vs baseline 1% (allowed: +1 points)'] },
      },
    });
    render(<JudgmentEvidence execution={e} stage={e.stages[1]!} />);
    expect(screen.getByText('failed')).toBeTruthy();
    expect(screen.getByText('error rate 20% vs baseline 1% (allowed: +1 points)')).toBeTruthy();
    expect(cells(screen.getByRole('table'), 'Errors')).toEqual(['9', '20']);
  });

  it('shows no canary section when no canary ran', () => {
    const e = execution({ status: 'SUCCEEDED', outputs: { serverGroup: 'storefront-prod-v004' } });
    render(<JudgmentEvidence execution={e} stage={e.stages[1]!} />);
    expect(screen.queryByRole('table')).toBeNull();
  });
});
