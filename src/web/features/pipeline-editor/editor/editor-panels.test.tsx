import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { renderApp } from '../../../test/render-app';
import { useReactFlowEnvironment } from '../../../test/react-flow-env';

const EDITOR = '/applications/web/pipelines/0b6c5f43-2d4e-4a43-9d4e-3c1f3e7a9a01/edit';

useReactFlowEnvironment();
afterEach(() => localStorage.clear());

describe('the editor side panels', () => {
  it('fold away to give the canvas room, and stay folded in the next editor opened', async () => {
    const first = renderApp(EDITOR);
    await screen.findByText('Tests', undefined, { timeout: 20_000 });
    expect(screen.getByLabelText('Search stage types')).toBeTruthy();
    await first.user.click(screen.getByRole('button', { name: 'Hide stage palette' }));
    await first.user.click(screen.getByRole('button', { name: 'Hide settings' }));
    expect(screen.queryByLabelText('Search stage types')).toBeNull();
    expect(screen.queryByRole('complementary', { name: 'Settings' })).toBeNull();
    first.unmount();

    const again = renderApp(EDITOR);
    await screen.findByText('Tests', undefined, { timeout: 20_000 });
    expect(screen.queryByLabelText('Search stage types')).toBeNull();
    await again.user.click(screen.getByRole('button', { name: 'Show stage palette' }));
    expect(screen.getByLabelText('Search stage types')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Show settings' }).getAttribute('aria-expanded')).toBe('false');
  }, 60_000);
});
