import { parsePackerLine } from '../../shared/domain/packer-log';

/**
 * The bake's log, in Packer's machine-readable shape: `timestamp,step,type,data…` per line, one
 * line per event, commas inside data escaped as `%!(PACKER_COMMA)` and newlines as `\n`, so each
 * line splits unambiguously. Types: `ui` (say/message/error), `step` (start/end), `artifact`,
 * `error-count`, and `output` (a command's stdout/stderr line).
 */
export interface BakeLog {
  event(step: string, type: string, ...data: string[]): void;
  say(step: string, message: string): void;
  error(step: string, message: string): void;
  /** Times a step: `step,start` before, `step,end,<ms>` (or `step,failed,<ms>`) after. */
  step<T>(step: string, fn: () => Promise<T>): Promise<T>;
  readonly errors: number;
}

const escape = (s: string) => s.replace(/,/g, '%!(PACKER_COMMA)').replace(/\r?\n/g, '\\n');

export function createBakeLog(sink: (line: string) => void, now: () => Date = () => new Date()): BakeLog {
  let errors = 0;
  const event = (step: string, type: string, ...data: string[]) => {
    const ts = Math.floor(now().getTime() / 1000);
    sink([String(ts), escape(step), escape(type), ...data.map(escape)].join(','));
  };
  return {
    event,
    say: (step, message) => event(step, 'ui', 'say', message),
    error(step, message) {
      errors += 1;
      event(step, 'ui', 'error', message);
    },
    async step(step, fn) {
      const started = now().getTime();
      event(step, 'step', 'start');
      try {
        const out = await fn();
        event(step, 'step', 'end', String(now().getTime() - started));
        return out;
      } catch (err) {
        event(step, 'step', 'failed', String(now().getTime() - started));
        throw err;
      }
    },
    get errors() {
      return errors;
    },
  };
}

/** Parses one log line back (the UI and tests read the log with it): the shared parser, named as the bakery names it. */
export function parseBakeLine(line: string): { ts: number; step: string; type: string; data: string[] } | undefined {
  const l = parsePackerLine(line);
  return l && { ts: l.ts, step: l.component, type: l.type, data: l.data };
}
