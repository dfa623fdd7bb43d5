import { Skeleton } from '../components/skeleton';
import { TopBar } from './top-bar';

/** Shown while the first page's code loads, so the frame appears at once instead of a blank page. */
export function AppShellFallback() {
  return (
    <div className="min-h-screen bg-zinc-50 dark:bg-zinc-950">
      <TopBar loading />
      <div role="status" className="mx-auto flex max-w-[1600px] flex-col gap-3 px-6 py-4">
        <span className="sr-only">Loading…</span>
        <Skeleton className="h-4 w-48" />
        <Skeleton className="h-7 w-72" />
        <Skeleton className="h-40" />
      </div>
    </div>
  );
}
