import { useRef } from 'react';
import { humanPackerLine } from '../../../shared/domain/packer-log';

const RED = '\x1b[1;31m';
const RESET = '\x1b[0m';

/**
 * One bake log line as Packer prints it for people: time, component, message; errors in red (the
 * log view draws ANSI colours). A line of another shape is shown as it is.
 */
export function humanBakeLine(line: string): string {
  const h = humanPackerLine(line);
  if (!h) return line;
  const text = `${h.component}: ${h.message.replace(/\n/g, ' ⏎ ')}`;
  return `${h.time} ${h.error ? `${RED}${text}${RESET}` : text}`;
}

/**
 * The human lines, converted once each: live batches and earlier pages only convert what is new,
 * so a 100k-line bake log costs no more per batch than the raw one.
 */
export function useHumanBakeLines(lines: readonly string[], on: boolean): readonly string[] {
  const memo = useRef<{ raw: readonly string[]; human: string[] }>({ raw: [], human: [] });
  if (!on) return lines;
  const prev = memo.current;
  if (prev.raw === lines) return prev.human;
  let human: string[];
  const n = prev.raw.length;
  if (n > 0 && lines.length >= n && lines[0] === prev.raw[0] && lines[n - 1] === prev.raw[n - 1]) {
    // Appended (a live batch): keep what was converted.
    human = prev.human.concat(lines.slice(n).map(humanBakeLine));
  } else if (n > 0 && lines.length >= n && lines[lines.length - n] === prev.raw[0] && lines.at(-1) === prev.raw[n - 1]) {
    // Prepended (an earlier page).
    human = lines.slice(0, lines.length - n).map(humanBakeLine).concat(prev.human);
  } else {
    human = lines.map(humanBakeLine);
  }
  memo.current = { raw: lines, human };
  return human;
}
