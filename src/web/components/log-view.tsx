import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { AnsiText } from './log-view-line';
import { buildRows, findMatches, isTruncationMarker, mayStartGroup, rowAt, rowCount, stripAnsi } from './log-view-model';
import { LogViewToolbar } from './log-view-toolbar';

const ROW_PX = 18;
// Module-level, so their identity never changes: react-virtual recomputes every row's offset (100k
// objects) whenever estimateSize or measureElement is a new function.
const estimateSize = () => ROW_PX;
const measureWrapped = (el: Element) => el.getBoundingClientRect().height || ROW_PX;

interface LogViewProps {
  /** Every line loaded so far, oldest first; line N is lines[N - 1]. */
  lines: readonly string[];
  label: string;
  /** More lines are still being fetched (history pages). */
  loading?: boolean;
  /** The producer is still running: new lines may arrive, so follow mode means something. */
  live: boolean;
  fileName: string;
  /** The line in the URL (`#L123`): scrolled to and marked. */
  selectedLine?: number | undefined;
  onSelectLine?: (line: number) => void;
  /** Drawn height in pixels. */
  height?: number;
}

/**
 * A log of any size: only the rows on screen are in the DOM (react-virtual). Follow mode keeps
 * the newest line in view and pauses as soon as the reader scrolls up; a button resumes it.
 */
export function LogView({ lines, label, loading = false, live, fileName, selectedLine, onSelectLine, height = 480 }: LogViewProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(selectedLine === undefined);
  const [wrap, setWrap] = useState(false);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const seenAtPause = useRef(lines.length);

  // Lines only ever grow at the end, so only the new ones are looked at for group markers.
  const groupScan = useRef({ scanned: 0, has: false });
  const hasGroups = useMemo(() => {
    const scan = groupScan.current;
    if (lines.length < scan.scanned) Object.assign(scan, { scanned: 0, has: false });
    for (let i = scan.scanned; i < lines.length && !scan.has; i += 1) scan.has = mayStartGroup(lines[i]!);
    scan.scanned = lines.length;
    return scan.has;
  }, [lines]);
  const rows = useMemo(() => buildRows(lines, collapsed, hasGroups), [lines, collapsed, hasGroups]);
  const count = rowCount(rows, lines);
  const matches = useMemo(() => findMatches(lines, rows, query), [lines, rows, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const currentRow = matches[Math.min(current, matches.length - 1)];

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan: 10,
    // jsdom and the first paint have no layout yet; start from the box we are about to draw.
    initialRect: { width: 800, height },
    ...(wrap ? { measureElement: measureWrapped } : {}),
  });

  // Follow: after every batch, show the last row. Layout effect, so the jump happens before paint.
  useLayoutEffect(() => {
    if (follow && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [follow, count, virtualizer]);

  // A permalink opens at its line (once it has loaded) and stops following.
  const jumped = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (selectedLine === undefined || jumped.current === selectedLine) return;
    const row = rows ? rows.findIndex((r) => r.index === selectedLine - 1) : selectedLine <= lines.length ? selectedLine - 1 : -1;
    if (row < 0) return;
    jumped.current = selectedLine;
    setFollow(false);
    virtualizer.scrollToIndex(row, { align: 'center' });
  }, [selectedLine, rows, lines.length, virtualizer]);

  const goTo = (i: number) => {
    if (matches.length === 0) return;
    const next = (i + matches.length) % matches.length;
    setCurrent(next);
    setFollow(false);
    virtualizer.scrollToIndex(matches[next]!, { align: 'center' });
  };

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el || !follow) return;
    // Programmatic scrolls to the end land within a row of the bottom; anything further up is the reader.
    if (el.scrollHeight - el.scrollTop - el.clientHeight > ROW_PX * 2) {
      seenAtPause.current = lines.length;
      setFollow(false);
    }
  };

  const download = () => {
    const blob = new Blob([lines.map(stripAnsi).join('\n') + '\n'], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const toggleGroup = (index: number) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(index)) next.delete(index);
      else next.add(index);
      return next;
    });

  const digits = String(lines.length).length;
  return (
    <section aria-label={label} className="flex flex-col overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
      <LogViewToolbar
        query={query}
        onQuery={(q) => {
          setQuery(q);
          setCurrent(0);
        }}
        matchCount={matches.length}
        current={matches.length === 0 ? 0 : Math.min(current, matches.length - 1) + 1}
        onNext={() => goTo(current + 1)}
        onPrev={() => goTo(current - 1)}
        wrap={wrap}
        onWrap={setWrap}
        onDownload={download}
        lineCount={lines.length}
        loading={loading}
      />
      <div className="relative">
        <div
          ref={scrollRef}
          onScroll={onScroll}
          data-testid="log-scroll"
          tabIndex={0}
          aria-label={`${label} lines`}
          // Layout and paint containment: rows changing inside never make the browser re-lay out the page around the log.
          style={{ height, contain: 'content' }}
          className="overflow-auto bg-zinc-950 font-mono text-[12px] leading-[18px] text-zinc-200"
        >
          {lines.length === 0 && (
            <p className="px-3 py-2 text-zinc-500">{loading ? 'Loading log…' : live ? 'Waiting for output…' : 'This stage wrote no output.'}</p>
          )}
          <div role="log" aria-live="off" style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: '100%', width: wrap ? '100%' : 'max-content' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rowAt(rows, item.index);
              const line = lines[row.index]!;
              const n = row.index + 1;
              const marked = n === selectedLine;
              const tone =
                item.index === currentRow ? 'bg-amber-500/40' : matchSet.has(item.index) ? 'bg-amber-500/15' : marked ? 'bg-sky-500/25' : '';
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  ref={wrap ? virtualizer.measureElement : undefined}
                  data-line={n}
                  className={`absolute left-0 flex w-full min-w-max hover:bg-white/5 ${tone}`}
                  style={{ transform: `translateY(${item.start}px)`, ...(wrap ? {} : { height: ROW_PX }) }}
                >
                  <a
                    href={`#L${n}`}
                    onClick={(e) => {
                      e.preventDefault();
                      onSelectLine?.(n);
                    }}
                    aria-label={`Line ${n}`}
                    className="sticky left-0 shrink-0 bg-zinc-950 pr-3 pl-2 text-right text-zinc-600 select-none hover:text-zinc-300"
                    style={{ width: `${digits + 2}ch` }}
                  >
                    {n}
                  </a>
                  {row.group ? (
                    <button type="button" onClick={() => toggleGroup(row.index)} aria-expanded={!row.group.collapsed} className="text-left text-sky-300 hover:underline">
                      {row.group.collapsed ? '▸' : '▾'} {row.group.title}
                      <span className="text-zinc-500"> ({row.group.size} lines)</span>
                    </button>
                  ) : isTruncationMarker(line) ? (
                    <span role="note" className="rounded bg-amber-400/20 px-1 text-amber-300">
                      {line}
                    </span>
                  ) : (
                    <span className={wrap ? 'break-all whitespace-pre-wrap' : 'whitespace-pre'}>
                      <AnsiText line={line} />
                    </span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
        {live && !follow && (
          <button
            type="button"
            onClick={() => setFollow(true)}
            className="absolute right-4 bottom-3 rounded-full bg-orange-500 px-3 py-1 text-xs font-medium text-white shadow-lg hover:bg-orange-600"
          >
            Follow{lines.length > seenAtPause.current ? ` (${lines.length - seenAtPause.current} new lines)` : ''}
          </button>
        )}
      </div>
    </section>
  );
}
