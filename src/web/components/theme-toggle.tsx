import { useEffect, useState } from 'react';
import { currentTheme, saveTheme, storedTheme, systemTheme, applyTheme, type Theme } from '../lib/theme';

/** A toggle button ("Dark theme", pressed or not); the choice is remembered, the system decides until then. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(currentTheme);

  useEffect(() => {
    if (typeof matchMedia !== 'function') return undefined;
    const query = matchMedia('(prefers-color-scheme: dark)');
    // Follow the OS switching (e.g. at sunset) until the person picks a theme here.
    const onChange = () => {
      if (storedTheme()) return;
      const next = systemTheme();
      applyTheme(next);
      setTheme(next);
    };
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);

  const dark = theme === 'dark';
  return (
    <button
      type="button"
      aria-pressed={dark}
      aria-label="Dark theme"
      title={dark ? 'Switch to light theme' : 'Switch to dark theme'}
      onClick={() => {
        const next: Theme = dark ? 'light' : 'dark';
        saveTheme(next);
        setTheme(next);
      }}
      className="inline-flex size-11 items-center md:size-8 justify-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-orange-500 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
    >
      {dark ? (
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
          <path d="M6.2 1.3a6.8 6.8 0 1 0 8.5 8.5A5.6 5.6 0 0 1 6.2 1.3Z" />
        </svg>
      ) : (
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
          <circle cx="8" cy="8" r="3.2" />
          <path d="M7.3 0h1.4v2.4H7.3zM7.3 13.6h1.4V16H7.3zM0 7.3h2.4v1.4H0zM13.6 7.3H16v1.4h-2.4zM2.1 3.1l1-1 1.7 1.7-1 1zM11.2 12.2l1-1 1.7 1.7-1 1zM2.1 12.9l1.7-1.7 1 1-1.7 1.7zM11.2 3.8l1.7-1.7 1 1-1.7 1.7z" />
        </svg>
      )}
    </button>
  );
}
