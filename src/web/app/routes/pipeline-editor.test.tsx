import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render-app';
import { useReactFlowEnvironment } from '../../test/react-flow-env';

useReactFlowEnvironment();

describe('the pipeline editor page', () => {
  it('says a pipeline that is gone does not exist and leads back to the application’s pipelines', async () => {
    const { user, router } = renderApp('/applications/web/pipelines/6f1d6f0e-0000-4000-8000-000000000000/edit');
    expect(await screen.findByRole('heading', { name: 'This pipeline does not exist' }, { timeout: 5000 })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /retry/i })).toBeNull();
    await user.click(screen.getByRole('link', { name: 'All pipelines of web' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/applications/web/pipelines'));
  });
});
