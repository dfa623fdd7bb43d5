import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';
import { NAV } from './nav-items';

/**
 * The main navigation on a phone or a tablet (below 1024 px): a menu button in the top bar that opens every link as a list of
 * large touch targets. Escape or a click outside closes it (focus goes back to the button); so
 * does opening a page. The waiting-approvals count shows on the button, so on-call sees it closed.
 */
export function MainMenu({ count }: { count: ReactNode }) {
  const { pathname } = useLocation();
  // Open on the page it was opened on: opening another page closes it, with no effect to run.
  const [openedOn, setOpenedOn] = useState<string | undefined>();
  const open = openedOn === pathname;
  const setOpen = (next: boolean) => setOpenedOn(next ? pathname : undefined);
  const button = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpenedOn(undefined);
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (e.target instanceof Node && !box.current?.contains(e.target)) setOpenedOn(undefined);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <div ref={box} className="lg:hidden">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
        className="inline-flex min-h-11 min-w-11 items-center justify-center gap-1 rounded-md text-zinc-700 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-orange-500 dark:text-zinc-200 dark:hover:bg-zinc-800"
      >
        <span className="sr-only">Menu</span>
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-5 fill-current">
          {open ? (
            <path d="M3.5 2.4 8 6.9l4.5-4.5 1.1 1.1L9.1 8l4.5 4.5-1.1 1.1L8 9.1l-4.5 4.5-1.1-1.1L6.9 8 2.4 3.5z" />
          ) : (
            <path d="M1.5 3h13v1.5h-13zM1.5 7.25h13v1.5h-13zM1.5 11.5h13V13h-13z" />
          )}
        </svg>
        {count}
      </button>
      {open && (
        <nav id={id} aria-label="Main" className="absolute inset-x-0 top-12 border-b border-zinc-200 bg-white shadow-lg dark:border-zinc-800 dark:bg-zinc-950">
          <ul className="flex flex-col p-2">
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink
                  to={item.to}
                  onClick={() => setOpen(false)}
                  className={({ isActive }) =>
                    `flex min-h-11 items-center rounded-md px-3 text-base font-medium ${
                      isActive ? 'bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50' : 'text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800'
                    }`
                  }
                >
                  {item.label}
                  {'badge' in item && count}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </div>
  );
}
