import Anser from 'anser';
import { memo, type CSSProperties, type ReactNode } from 'react';
import { isTruncationMarker } from './log-view-model';

type Part = { content: string; style: CSSProperties | undefined };

/**
 * Parsed lines, newest use last. Why: scrolling mounts ~40 rows a frame, and ANSI parsing each
 * one again on every visit made frames miss their budget; a bounded map keeps memory flat.
 */
const CACHE_SIZE = 4000;
const parsed = new Map<string, Part[]>();

function styleOf(p: Anser.AnserJsonEntry): CSSProperties | undefined {
  const style: CSSProperties = {};
  if (p.fg) style.color = `rgb(${p.fg})`;
  if (p.bg) style.backgroundColor = `rgb(${p.bg})`;
  const d = p.decorations;
  if (d.includes('bold')) style.fontWeight = 600;
  if (d.includes('dim')) style.opacity = 0.7;
  if (d.includes('italic')) style.fontStyle = 'italic';
  if (d.includes('underline')) style.textDecoration = 'underline';
  if (d.includes('strikethrough')) style.textDecoration = 'line-through';
  if (d.includes('hidden')) style.visibility = 'hidden';
  return Object.keys(style).length === 0 ? undefined : style;
}

/** A line's colour runs, parsed once per distinct line while it stays in the cache. */
export function ansiParts(line: string): Part[] {
  const hit = parsed.get(line);
  if (hit) return hit;
  const parts = Anser.ansiToJson(line, { json: true, remove_empty: true }).map((p) => ({ content: p.content, style: styleOf(p) }));
  if (parsed.size >= CACHE_SIZE) parsed.delete(parsed.keys().next().value!);
  parsed.set(line, parts);
  return parts;
}

/**
 * One line's ANSI colours as React text in spans: the text is never parsed as HTML, so a log line
 * holding `<script>` shows those characters. Anser gives colours as "r, g, b" strings.
 */
export function AnsiText({ line }: { line: string }): ReactNode {
  if (!line.includes('\x1b')) return line;
  return ansiParts(line).map((p, i) => (
    <span key={i} style={p.style}>
      {p.content}
    </span>
  ));
}

export interface LogLineRowProps {
  /** The line number shown and linked (`#L{n}`). */
  n: number;
  line: string;
  /** Fixed row height; undefined when wrapping (the row is measured). */
  height: number | undefined;
  digits: number;
  tone: string;
  wrap: boolean;
  /** Shown before the text when timestamps are on. */
  stamp: string | undefined;
  group: { title: string; collapsed: boolean; size: number } | undefined;
  index: number;
  measure: ((el: Element | null) => void) | undefined;
  onSelect: (n: number) => void;
  onToggleGroup: (n: number) => void;
}

/** A time of day in UTC with milliseconds; the full instant is in the title. */
const timeOfDay = (iso: string) => iso.slice(11, 23);

/**
 * One row. Memoized on plain values: while scrolling, rows that stay on screen keep their props and
 * are skipped, so a frame only renders the rows that came into view.
 */
export const LogLineRow = memo(function LogLineRow({ measure, ...p }: LogLineRowProps) {
  return (
    <div
      data-index={p.index}
      ref={measure}
      data-line={p.n}
      className={`flex w-full min-w-max hover:bg-white/5 ${p.tone}`}
      // Containment: a row's new text is laid out and painted on its own, not with its neighbours.
      style={{ height: p.height, contain: 'layout style paint' }}
    >
      <a
        href={`#L${p.n}`}
        onClick={(e) => {
          e.preventDefault();
          p.onSelect(p.n);
        }}
        aria-label={`Line ${p.n}`}
        className="sticky left-0 shrink-0 bg-zinc-950 pr-3 pl-2 text-right text-zinc-400 select-none hover:text-zinc-100"
        style={{ width: `${p.digits + 2}ch` }}
      >
        {p.n}
      </a>
      {p.stamp !== undefined && (
        <time dateTime={p.stamp} title={p.stamp} data-testid="log-stamp" className="shrink-0 pr-3 text-zinc-400 select-none">
          {timeOfDay(p.stamp)}
        </time>
      )}
      {p.group ? (
        <button type="button" onClick={() => p.onToggleGroup(p.n)} aria-expanded={!p.group.collapsed} className="text-left text-sky-300 hover:underline">
          {p.group.collapsed ? '▸' : '▾'} {p.group.title}
          <span className="text-zinc-500"> ({p.group.size} lines)</span>
        </button>
      ) : isTruncationMarker(p.line) ? (
        <span role="note" className="rounded bg-amber-400/20 px-1 text-amber-300">
          {p.line}
        </span>
      ) : (
        <span className={p.wrap ? 'break-all whitespace-pre-wrap' : 'whitespace-pre'}>
          <AnsiText line={p.line} />
        </span>
      )}
    </div>
  );
});
