import { Button } from './button';

interface LogViewToolbarProps {
  query: string;
  onQuery: (q: string) => void;
  matchCount: number;
  /** 1-based position of the current match; 0 when there is none. */
  current: number;
  onNext: () => void;
  onPrev: () => void;
  wrap: boolean;
  onWrap: (wrap: boolean) => void;
  onDownload: () => void;
  /** Lines in the whole log, and how many of them are loaded (fewer when it opened at its tail). */
  lineCount: number;
  loadedCount: number;
  loading: boolean;
  stamps: boolean;
  /** Absent when the lines have no times. */
  onStamps: ((on: boolean) => void) | undefined;
}

export function LogViewToolbar(props: LogViewToolbarProps) {
  const { query, matchCount, current } = props;
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 bg-zinc-50 px-2 py-1.5 text-xs dark:border-zinc-800 dark:bg-zinc-900">
      <input
        type="search"
        aria-label="Search the log"
        placeholder="Search the log"
        value={query}
        onChange={(e) => props.onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (e.shiftKey) props.onPrev();
            else props.onNext();
          }
        }}
        className="h-7 w-56 rounded-md border border-zinc-300 bg-white px-2 text-xs dark:border-zinc-700 dark:bg-zinc-950"
      />
      {query && (
        <span role="status" className="tabular-nums text-zinc-600 dark:text-zinc-400">
          {matchCount === 0 ? 'No matches' : `${current} of ${matchCount} matches`}
        </span>
      )}
      <Button size="sm" variant="ghost" onClick={props.onPrev} disabled={matchCount === 0} aria-label="Previous match">
        ↑ Previous
      </Button>
      <Button size="sm" variant="ghost" onClick={props.onNext} disabled={matchCount === 0} aria-label="Next match">
        ↓ Next
      </Button>
      <label className="ml-2 flex items-center gap-1 text-zinc-600 dark:text-zinc-400">
        <input type="checkbox" checked={props.wrap} onChange={(e) => props.onWrap(e.target.checked)} />
        Wrap lines
      </label>
      {props.onStamps && (
        <label className="flex items-center gap-1 text-zinc-600 dark:text-zinc-400">
          <input type="checkbox" checked={props.stamps} onChange={(e) => props.onStamps?.(e.target.checked)} />
          Timestamps
        </label>
      )}
      <span className="ml-auto tabular-nums text-zinc-500 dark:text-zinc-400">
        {props.lineCount.toLocaleString('en')} lines{props.loading ? ' (loading…)' : ''}
      </span>
      {props.loadedCount < props.lineCount && <span className="tabular-nums text-zinc-500 dark:text-zinc-400">({props.loadedCount.toLocaleString('en')} loaded)</span>}
      <Button size="sm" onClick={props.onDownload} disabled={props.lineCount === 0}>
        Download
      </Button>
    </div>
  );
}
