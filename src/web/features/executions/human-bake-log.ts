import { useState } from 'react';
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
 * Converts a growing log, each line once: live batches and earlier pages only convert what is new,
 * so a 100k-line bake log costs no more per batch than the raw one.
 */
export class BakeLineConverter {
  private raw: readonly string[] = [];
  private human: string[] = [];

  convert(lines: readonly string[]): readonly string[] {
    if (this.raw === lines) return this.human;
    const n = this.raw.length;
    const prev = this.raw;
    if (n > 0 && lines.length >= n && lines[0] === prev[0] && lines[n - 1] === prev[n - 1]) {
      // Appended (a live batch): keep what was converted.
      this.human = this.human.concat(lines.slice(n).map(humanBakeLine));
    } else if (n > 0 && lines.length >= n && lines[lines.length - n] === prev[0] && lines.at(-1) === prev[n - 1]) {
      // Prepended (an earlier page).
      this.human = lines
        .slice(0, lines.length - n)
        .map(humanBakeLine)
        .concat(this.human);
    } else {
      this.human = lines.map(humanBakeLine);
    }
    this.raw = lines;
    return this.human;
  }
}

/** The human lines of a bake log view (the raw ones when `on` is false). */
export function useHumanBakeLines(lines: readonly string[], on: boolean): readonly string[] {
  // One converter per view: its cache is not state, since filling it must not render again.
  const [converter] = useState(() => new BakeLineConverter());
  return on ? converter.convert(lines) : lines;
}
