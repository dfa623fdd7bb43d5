import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { THEME_STORAGE_KEY } from '../lib/theme';
import { renderApp } from '../test/render-app';
import { ThemeToggle } from './theme-toggle';

const html = document.documentElement;

describe('theme toggle', () => {
  it('switches the page between light and dark and remembers the choice', async () => {
    const { user } = renderApp('/projects');
    // Wait for the page itself: the app-shell fallback shown while the lazy page loads has its own
    // toggle, which is replaced when the page arrives (slow machines hit that window).
    await screen.findByRole('heading', { name: 'Projects', level: 1 });
    const toggle = () => screen.getByRole('button', { name: 'Dark theme' });
    expect(toggle().getAttribute('aria-pressed')).toBe('false');
    expect(html.classList.contains('dark')).toBe(false);

    await user.click(toggle());
    expect(html.classList.contains('dark')).toBe(true);
    expect(toggle().getAttribute('aria-pressed')).toBe('true');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');

    await user.click(toggle());
    expect(html.classList.contains('dark')).toBe(false);
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
  });

  it('starts from the theme index.html already applied before React rendered', async () => {
    html.classList.add('dark');
    render(<ThemeToggle />);
    const toggle = screen.getByRole('button', { name: 'Dark theme' });
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    await userEvent.setup().click(toggle);
    expect(html.classList.contains('dark')).toBe(false);
  });
});
