import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { EnabledBadge } from '../../components/enabled-badge';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { QueryGuard } from '../../components/query-guard';
import { Skeleton } from '../../components/skeleton';
import type { ServerGroupRef } from '../../lib/query-keys';
import { serverGroupQuery } from './cluster-queries';
import { ServerGroupDetails } from './server-group-details';
import { ServerGroupActions } from './server-group-actions';
import { ImageFlagCallout } from './image-flag';
import { useReturnFocus } from '../../components/use-return-focus';

interface ServerGroupPanelProps {
  application: string;
  selection: ServerGroupRef;
  onClose: () => void;
}

/**
 * Non-modal: the clusters stay usable beside it, so another card can be picked without closing first.
 * On wide screens it is a sticky column next to the board; below that, a drawer over it.
 */
export function ServerGroupPanel({ application, selection, onClose }: ServerGroupPanelProps) {
  const query = useQuery(serverGroupQuery(application, selection));
  const panel = useRef<HTMLElement>(null);
  const key = `${selection.account}/${selection.region}/${selection.name}`;

  // Escape (or Close) hands focus back to the card that opened the panel.
  useReturnFocus(panel, key);
  // Move focus in when a group is opened, so keyboard and screen-reader users land on what they asked for.
  useEffect(() => {
    panel.current?.focus();
  }, [key]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      // Esc in a text box belongs to the text box (it clears a search field).
      if (event.target instanceof HTMLElement && event.target.closest('input, select, textarea')) return;
      onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  const headingId = 'server-group-panel-title';
  return (
    <aside
      ref={panel}
      tabIndex={-1}
      aria-labelledby={headingId}
      className="flex w-[min(34rem,100vw)] shrink-0 flex-col border-zinc-200 bg-white outline-none max-xl:fixed max-xl:top-12 max-xl:right-0 max-xl:bottom-0 max-xl:z-20 max-xl:border-l max-xl:shadow-2xl xl:sticky xl:top-16 xl:max-h-[calc(100vh-5rem)] xl:rounded-lg xl:border xl:shadow-sm dark:border-zinc-800 dark:bg-zinc-950"
    >
      <div className="flex items-start gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <div className="min-w-0 flex-1">
          <p className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Server group</p>
          <div className="flex flex-wrap items-center gap-2">
            <h2 id={headingId} className="truncate font-mono text-base font-semibold">
              {selection.name}
            </h2>
            {query.data && <EnabledBadge disabled={query.data.serverGroup.disabled} />}
          </div>
          <p className="text-xs text-zinc-500 dark:text-zinc-400">
            {selection.account} · {selection.region}
          </p>
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close details"
          title="Close (Esc)"
          className="inline-flex size-8 items-center justify-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-orange-500 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 fill-current">
            <path d="M3.5 2.4 8 6.9l4.5-4.5 1.1 1.1L9.1 8l4.5 4.5-1.1 1.1L8 9.1l-4.5 4.5-1.1-1.1L6.9 8 2.4 3.5z" />
          </svg>
        </button>
      </div>
      <div className="flex-1 overflow-y-auto px-4 py-4">
        <QueryGuard
          query={query}
          loading={
            <LoadingState label={`Loading ${selection.name}…`}>
              <div className="flex flex-col gap-3">
                <Skeleton className="h-16" />
                <Skeleton className="h-24" />
                <Skeleton className="h-40" />
              </div>
            </LoadingState>
          }
          notFound={
            <ErrorState
              title={`Server group '${selection.name}' does not exist in ${selection.account}/${selection.region}`}
              message="It may have been destroyed since this link was made."
            />
          }
        >
          {(detail) => (
            <div className="flex flex-col gap-4">
              <ImageFlagCallout application={application} serverGroup={selection} />
              <ServerGroupActions key={key} application={application} sg={detail.serverGroup} destroyNeedsName={detail.destroyNeedsName} onGone={onClose} />
              <ServerGroupDetails detail={detail} />
            </div>
          )}
        </QueryGuard>
      </div>
    </aside>
  );
}
