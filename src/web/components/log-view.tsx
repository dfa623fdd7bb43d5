import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { LogLineRow } from './log-view-line';
import { buildRows, findMatches, mayStartGroup, rowAt, rowCount, stripAnsi } from './log-view-model';
import { LogViewToolbar } from './log-view-toolbar';

const ROW_PX = 18;
// Module-level, so their identity never changes: react-virtual recomputes every row's offset (100k
// objects) whenever estimateSize or measureElement is a new function.
const estimateSize = () => ROW_PX;
const measureWrapped = (el: Element) => el.getBoundingClientRect().height || ROW_PX;
/** Scrolled this close to the top, the page before the first loaded line is fetched. */
const NEAR_TOP_PX = ROW_PX * 40;
const STAMPS_KEY = 'kiln.log.timestamps';
const OVERSCAN = 4;

interface LogViewProps {
  /** Every line loaded so far, oldest first; line N is lines[N - offset - 1]. */
  lines: readonly string[];
  /** When each line was stored (ISO), parallel to lines: the timestamps toggle shows them. */
  stamps?: readonly string[] | undefined;
  /** Lines before lines[0] that are not loaded (the log opened at its tail). */
  offset?: number;
  loadingEarlier?: boolean;
  /** Fetches the page before lines[0]; called when the reader scrolls near the top. */
  onLoadEarlier?: () => void;
  /** The whole log for download, when not all of it is loaded. */
  readAll?: () => Promise<string[]>;
  /** What a download of the loaded lines holds when the lines shown are a rendering of them (a bake's human form: the raw lines). */
  downloadLines?: readonly string[];
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
  /** Said when there are no lines and none are coming (default: the stage wrote nothing). */
  emptyText?: string;
}

/**
 * A log of any size: only the rows on screen are in the DOM (react-virtual). Follow mode keeps
 * the newest line in view and pauses as soon as the reader scrolls up; a button resumes it.
 */
export function LogView(props: LogViewProps) {
  const { lines, stamps, offset = 0, loadingEarlier = false, onLoadEarlier, label, loading = false, live, fileName, selectedLine, height = 480 } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(selectedLine === undefined);
  const [wrap, setWrap] = useState(false);
  // Remembered across logs and visits: people who want times want them everywhere.
  const [showStamps, setShowStamps] = useState(() => localStorage.getItem(STAMPS_KEY) === '1');
  const onStamps = (on: boolean) => {
    setShowStamps(on);
    localStorage.setItem(STAMPS_KEY, on ? '1' : '0');
  };
  // Stable callbacks for the memoized rows.
  const selectRef = useRef(props.onSelectLine);
  selectRef.current = props.onSelectLine;
  const onSelect = useCallback((n: number) => selectRef.current?.(n), []);
  const [collapsed, setCollapsed] = useState<ReadonlySet<number>>(new Set());
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const seenAtPause = useRef(lines.length);

  // Lines grow at the end (live) and, rarely, at the start (earlier pages): only new ones at the end
  // are looked at for group markers, and everything again after a page was put in front.
  const groupScan = useRef({ scanned: 0, has: false, offset });
  const hasGroups = useMemo(() => {
    const scan = groupScan.current;
    if (lines.length < scan.scanned || scan.offset !== offset) Object.assign(scan, { scanned: 0, has: false, offset });
    for (let i = scan.scanned; i < lines.length && !scan.has; i += 1) scan.has = mayStartGroup(lines[i]!);
    scan.scanned = lines.length;
    return scan.has;
  }, [lines, offset]);
  // `collapsed` holds line numbers, which do not move when earlier lines are loaded; rows use indexes.
  const rows = useMemo(() => buildRows(lines, new Set([...collapsed].map((n) => n - offset - 1)), hasGroups), [lines, collapsed, hasGroups, offset]);
  const count = rowCount(rows, lines);
  const matches = useMemo(() => findMatches(lines, rows, query), [lines, rows, query]);
  const matchSet = useMemo(() => new Set(matches), [matches]);
  const currentRow = matches[Math.min(current, matches.length - 1)];

  // Kiln does not run the React Compiler (the rule warns it would skip this component); the rows get only
  // measureElement, a method TanStack binds once, so memoized rows are not handed a fresh function each render.
  // oxlint-disable-next-line react/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    // Every extra row is laid out in each frame of a fast scroll; a few cover a wheel flick.
    overscan: OVERSCAN,
    // jsdom and the first paint have no layout yet; start from the box we are about to draw.
    initialRect: { width: 800, height },
    ...(wrap ? { measureElement: measureWrapped } : {}),
  });

  // Follow: after every batch, show the last row. Layout effect, so the jump happens before paint.
  // Unwrapped rows all have one height, so the end is the bottom of the box: one write, one layout.
  // scrollToIndex re-checks its target every frame until it holds still, each check a forced layout,
  // and in a flood (a batch every frame or two) that never happens: it cost the page more than
  // the lines did. Wrapped rows are measured as they are drawn, which scrollToIndex follows.
  useLayoutEffect(() => {
    if (!follow || count === 0) return;
    const el = scrollRef.current;
    if (wrap || !el) virtualizer.scrollToIndex(count - 1, { align: 'end' });
    else el.scrollTop = el.scrollHeight;
  }, [follow, count, virtualizer, wrap]);

  // A permalink opens at its line (once it has loaded) and stops following.
  const jumped = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (selectedLine === undefined || jumped.current === selectedLine) return;
    const at = selectedLine - offset - 1;
    const row = rows ? rows.findIndex((r) => r.index === at) : at >= 0 && at < lines.length ? at : -1;
    if (row < 0) return;
    jumped.current = selectedLine;
    setFollow(false);
    virtualizer.scrollToIndex(row, { align: 'center' });
  }, [selectedLine, rows, lines.length, offset, virtualizer]);

  // A page put in front pushes everything down: move the scroll position by as much, so the line
  // the reader was looking at stays where it was.
  const shownOffset = useRef(offset);
  useLayoutEffect(() => {
    const added = shownOffset.current - offset;
    shownOffset.current = offset;
    const el = scrollRef.current;
    if (added > 0 && el && !follow) el.scrollTop += added * ROW_PX;
  }, [offset, follow]);

  const goTo = (i: number) => {
    if (matches.length === 0) return;
    const next = (i + matches.length) % matches.length;
    setCurrent(next);
    setFollow(false);
    virtualizer.scrollToIndex(matches[next]!, { align: 'center' });
  };

  const onScroll = () => {
    const el = scrollRef.current;
    if (el && offset > 0 && !loadingEarlier && el.scrollTop < NEAR_TOP_PX) onLoadEarlier?.();
    if (!el || !follow) return;
    // Programmatic scrolls to the end land within a row of the bottom; anything further up is the reader.
    if (el.scrollHeight - el.scrollTop - el.clientHeight > ROW_PX * 2) {
      seenAtPause.current = lines.length;
      setFollow(false);
    }
  };

  const download = async () => {
    const all = offset > 0 && props.readAll ? await props.readAll() : (props.downloadLines ?? lines);
    const blob = new Blob([all.map(stripAnsi).join('\n') + '\n'], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const toggleGroup = useCallback(
    (n: number) =>
      setCollapsed((prev) => {
        const next = new Set(prev);
        if (next.has(n)) next.delete(n);
        else next.add(n);
        return next;
      }),
    [],
  );

  const items = virtualizer.getVirtualItems();
  const total = offset + lines.length;
  const digits = String(total).length;
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
        onDownload={() => void download()}
        lineCount={total}
        loadedCount={lines.length}
        loading={loading}
        stamps={showStamps}
        onStamps={stamps ? onStamps : undefined}
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
            <p className="px-3 py-2 text-zinc-500">{loading ? 'Loading log…' : live ? 'Waiting for output…' : (props.emptyText ?? 'This stage wrote no output.')}</p>
          )}
          <div role="log" aria-live="off" style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: '100%', width: wrap ? '100%' : 'max-content' }}>
            {/* The drawn rows sit in normal flow inside one box moved to the first row's offset: a
                scroll step moves that box and gives the rows other lines, with no per-row position,
                and the DOM order stays the reading order (a selection copies lines in order). */}
            <div style={{ position: 'absolute', top: 0, left: 0, minWidth: '100%', width: wrap ? '100%' : 'max-content', transform: `translateY(${items[0]?.start ?? 0}px)` }}>
              {items.map((item, slot) => {
                const row = rowAt(rows, item.index);
                const n = offset + row.index + 1;
                const tone = item.index === currentRow ? 'bg-amber-500/40' : matchSet.has(item.index) ? 'bg-amber-500/15' : n === selectedLine ? 'bg-sky-500/25' : '';
                return (
                  <LogLineRow
                    // Unwrapped rows are keyed by their place on screen, so scrolling reuses the same
                    // DOM nodes; wrapped rows are measured when they mount, so each line has its own.
                    key={wrap ? item.key : slot}
                    index={item.index}
                    n={n}
                    line={lines[row.index]!}
                    height={wrap ? undefined : ROW_PX}
                    digits={digits}
                    tone={tone}
                    wrap={wrap}
                    stamp={showStamps ? stamps?.[row.index] : undefined}
                    group={row.group}
                    measure={wrap ? virtualizer.measureElement : undefined}
                    onSelect={onSelect}
                    onToggleGroup={toggleGroup}
                  />
                );
              })}
            </div>
          </div>
        </div>
        {offset > 0 && (
          <button
            type="button"
            onClick={onLoadEarlier}
            disabled={loadingEarlier}
            className="absolute top-2 left-1/2 -translate-x-1/2 rounded-full bg-zinc-700 px-3 py-1 text-xs text-zinc-100 shadow-lg hover:bg-zinc-600 disabled:opacity-70"
          >
            {loadingEarlier ? 'Loading earlier lines…' : `${offset.toLocaleString('en')} earlier lines: scroll up or load them`}
          </button>
        )}
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
