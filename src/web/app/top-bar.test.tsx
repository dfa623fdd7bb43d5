import { screen, waitFor } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '../../../mocks/node';
import { renderApp } from '../test/render-app';

describe('the top bar while the first page loads', () => {
  it('offers no menu in the loading frame (the real top bar replaces it, which would close a menu under the pointer), then one that stays open', async () => {
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    server.use(
      http.get('*/api/auth/me', async () => {
        await answered;
        // Nothing returned: the mock API's own handler answers, once released.
        return undefined;
      }),
    );
    const { user } = renderApp('/projects');
    // The frame: the theme toggle is there (its choice lives in storage), the menus are not.
    await screen.findByRole('button', { name: 'Dark theme' });
    expect(screen.getByRole('status').textContent).toContain('Loading…');
    expect(screen.queryByRole('button', { name: /Search/ })).toBeNull();
    expect(screen.queryByText('Ana Admin')).toBeNull();
    release();
    await user.click(await screen.findByText('Ana Admin', {}, { timeout: 10_000 }));
    expect(await screen.findByRole('link', { name: 'API tokens' })).toBeTruthy();
    await waitFor(() => expect(screen.getByText('Ana Admin').closest('details')?.open).toBe(true));
  });
});
