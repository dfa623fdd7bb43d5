import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render-app';
import { useReactFlowEnvironment } from '../../test/react-flow-env';

const ID = '0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01';

useReactFlowEnvironment();

const pipelineFilterOptions = () =>
  within(screen.getByRole('combobox', { name: 'Pipeline' }))
    .getAllByRole('option')
    .map((o) => o.textContent);

describe('saving a pipeline', () => {
  it('renames it in the pipelines tab and in the executions filter alike', async () => {
    const { user, router } = renderApp('/applications/web/executions');
    await waitFor(() => expect(pipelineFilterOptions()).toContain('Deploy to production'), { timeout: 5000 });
    await router.navigate('/applications/web/pipelines');
    expect(await screen.findByRole('link', { name: 'Deploy to production' }, { timeout: 5000 })).toBeTruthy();

    await router.navigate(`/applications/web/pipelines/${ID}/edit`);
    const name = await screen.findByLabelText('Pipeline name', undefined, { timeout: 5000 });
    await user.clear(name);
    await user.type(name, 'Ship it');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved · revision 2', undefined, { timeout: 5000 })).toBeTruthy();

    // Both lists were fetched seconds ago (fresh by staleTime): only the save's invalidation updates them.
    await router.navigate('/applications/web/pipelines');
    expect(await screen.findByRole('link', { name: 'Ship it' }, { timeout: 5000 })).toBeTruthy();
    await router.navigate('/applications/web/executions');
    await waitFor(() => expect(pipelineFilterOptions()).toContain('Ship it'), { timeout: 5000 });
    expect(pipelineFilterOptions()).not.toContain('Deploy to production');
  }, 30_000);
});
