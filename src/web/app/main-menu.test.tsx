import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/render-app';

// jsdom applies no CSS, so the phone's menu button is there at any width: these check its behaviour.
describe('the phone menu', () => {
  it('opens every main link, closes on Escape with focus back on the button, and closes when a page opens', async () => {
    const { user, router } = renderApp('/projects');
    await screen.findByRole('heading', { level: 1, name: 'Projects' });
    const button = screen.getByRole('button', { name: /^Menu/ });
    expect(button.getAttribute('aria-expanded')).toBe('false');

    await user.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const menu = document.getElementById(button.getAttribute('aria-controls')!)!;
    // Approvals carries the waiting count, as on the wide screen's bar.
    expect(
      within(menu)
        .getAllByRole('link')
        .map((l) => l.textContent),
    ).toEqual(['Projects', 'Applications', 'Running now', 'History', 'Images', expect.stringMatching(/^Approvals\d*$/)]);
    expect(await within(menu).findByLabelText(/\d+ waiting/)).toBeTruthy();

    await user.keyboard('{Escape}');
    expect(document.getElementById(button.getAttribute('aria-controls')!)).toBeNull();
    expect(document.activeElement).toBe(button);

    await user.click(button);
    await user.click(within(document.getElementById(button.getAttribute('aria-controls')!)!).getByRole('link', { name: /^Approvals/ }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/approvals'));
    expect(button.getAttribute('aria-expanded')).toBe('false');
  }, 20_000);
});
