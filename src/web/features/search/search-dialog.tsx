import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { groupHits, SEARCH_KIND_LABEL } from '../../../shared/domain/search';
import { hitPath } from './hit-path';
import { searchQuery } from './search-queries';

/** How long typing must pause before asking the server: one request per word, not per key. */
const SETTLE_MS = 150;

/**
 * The top bar's search: type, then arrows move through the results (each a real link) and Enter
 * opens one; Enter in the box opens the first. Escape or a click outside closes it. Loaded lazily.
 */
export function SearchDialog({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const query = useQuery(searchQuery(q));
  const groups = q && query.data ? groupHits(query.data.hits) : [];
  const first = groups[0]?.hits[0];

  const links = () => [...(list.current?.querySelectorAll<HTMLAnchorElement>('a[data-hit]') ?? [])];
  const move = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const all = links();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    const next = e.key === 'ArrowDown' ? at + 1 : at - 1;
    if (next < 0) input.current?.focus();
    else all[Math.min(next, all.length - 1)]?.focus();
  };

  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center bg-zinc-900/40 p-4 pt-[10vh]" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={move}
        className="flex max-h-[75vh] w-full max-w-xl flex-col overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xl dark:border-zinc-700 dark:bg-zinc-900"
      >
        <h2 id={titleId} className="sr-only">
          Search Kiln
        </h2>
        <form
          className="border-b border-zinc-200 p-2 dark:border-zinc-800"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            if (first && q === text.trim()) {
              void navigate(hitPath(first));
              onClose();
            }
          }}
        >
          <input
            ref={input}
            type="search"
            aria-label="Search applications, clusters, server groups, instances, images, executions"
            placeholder="Server group, storefront:v1, 127.0.0.1:41000, execution id…"
            value={text}
            onChange={(e) => setText(e.target.value)}
            className="h-10 w-full rounded-md bg-transparent px-2 text-sm text-zinc-900 outline-none placeholder:text-zinc-500 dark:text-zinc-100 dark:placeholder:text-zinc-400"
          />
        </form>
        <div ref={list} className="overflow-y-auto p-2" aria-live="polite">
          {!q ? (
            <p className="px-2 py-3 text-sm text-zinc-600 dark:text-zinc-400">Type a name, an image version, an address or an id. Arrows move, Enter opens.</p>
          ) : query.isError ? (
            <p role="alert" className="px-2 py-3 text-sm text-red-700 dark:text-red-400">
              {query.error.message}
            </p>
          ) : query.isPending ? (
            <p className="px-2 py-3 text-sm text-zinc-600 dark:text-zinc-400">Searching…</p>
          ) : groups.length === 0 ? (
            <p className="px-2 py-3 text-sm text-zinc-600 dark:text-zinc-400">Nothing you may see matches “{q}”.</p>
          ) : (
            groups.map((group) => (
              <section key={group.kind} aria-label={SEARCH_KIND_LABEL[group.kind]} className="mb-2">
                <h3 className="px-2 pt-1 pb-1 text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">{SEARCH_KIND_LABEL[group.kind]}</h3>
                <ul>
                  {group.hits.map((hit) => (
                    <li key={`${hit.kind}/${hitPath(hit)}/${hit.label}`}>
                      <Link
                        data-hit=""
                        to={hitPath(hit)}
                        onClick={onClose}
                        className="flex items-baseline justify-between gap-3 rounded-md px-2 py-1.5 text-sm outline-none hover:bg-zinc-100 focus:bg-orange-50 focus:ring-2 focus:ring-orange-500 dark:hover:bg-zinc-800 dark:focus:bg-orange-500/10"
                      >
                        <span className="truncate font-medium text-zinc-900 dark:text-zinc-100">{hit.label}</span>
                        <span className="truncate text-xs text-zinc-600 dark:text-zinc-400">{hit.detail}</span>
                      </Link>
                    </li>
                  ))}
                </ul>
              </section>
            ))
          )}
        </div>
      </div>
    </div>
  );
}
