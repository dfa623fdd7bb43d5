import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { Execution } from '../../../shared/domain/execution';
import { ExecutionsTable } from './executions-table';

const stage = (refId: string, type: string, extra: Record<string, unknown>) => ({
  refId,
  type,
  name: refId,
  requisiteStageRefIds: [],
  failPolicy: 'halt_pipeline',
  status: 'SUCCEEDED',
  ...extra,
});
const run = Execution.parse({
  id: 'e0000001-0000-4000-8000-000000000001',
  application: 'storefront',
  pipelineId: 'e0000001-0000-4000-8000-0000000000aa',
  pipelineName: 'Ship storefront',
  pipelineRevision: 1,
  status: 'RUNNING',
  trigger: { type: 'manual', user: 'ana' },
  createdAt: '2026-12-01T10:00:00.000Z',
  stages: [
    stage('bake', 'bake', {}),
    stage('staging', 'deploy', {
      config: { account: 'staging', region: 'east', image: '${ stages.bake.outputs.image }' },
      outputs: { image: 'storefront:v2', account: 'staging', region: 'east', serverGroup: 'storefront-staging-v002' },
    }),
    stage('prod', 'deploy', {
      status: 'RUNNING',
      config: { account: 'prod', region: 'east', image: '${ stages.bake.outputs.image }' },
      context: { serverGroup: 'storefront-prod-v004' },
    }),
  ],
});

describe('the executions list', () => {
  it('shows each deploy’s version and target, linked to the server group it made', () => {
    render(
      <MemoryRouter>
        <ExecutionsTable executions={[run]} label="Executions" />
      </MemoryRouter>,
    );
    const row = within(screen.getByRole('table', { name: 'Executions' })).getAllByRole('row')[1]!;
    expect(within(row).getByText('storefront:v2').parentElement!.textContent).toBe('storefront:v2 → staging/east');
    expect(within(row).getByRole('link', { name: 'staging/east' }).getAttribute('href')).toBe('/applications/storefront/clusters?sg=staging%2Feast%2Fstorefront-staging-v002');
    // Running, its image not yet resolved: the target is known, the version is not guessed from an expression.
    expect(within(row).getByRole('link', { name: 'prod/east' }).parentElement!.textContent).toBe('? → prod/east');
  });
});
