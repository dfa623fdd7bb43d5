import type { ParseArgsConfig } from 'node:util';
import type { Client, Target } from './client';
import type { CliIo } from './io';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Context {
  io: CliIo;
  json: boolean;
  client: Client;
  target: Target;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** Polling pause for --follow/--wait (tests shorten it). */
  sleep: (ms: number) => Promise<void>;
}

export interface Command {
  /** The words that select it: ['pipeline', 'run']. */
  words: string[];
  /** Positional argument names for the usage line, e.g. ['PIPELINE']; a trailing '?' marks optional. */
  args: string[];
  summary: string;
  options?: Options;
  /** One line per option for the help text. */
  optionHelp?: string[];
  run(ctx: Context): Promise<number>;
}

export const defineCommand = (c: Command): Command => c;

export function usageLine(c: Command): string {
  const args = c.args.map((a) => (a.endsWith('?') ? `[${a.slice(0, -1)}]` : a)).join(' ');
  const opts = c.options && Object.keys(c.options).length > 0 ? ' [options]' : '';
  return `kiln ${c.words.join(' ')}${args ? ` ${args}` : ''}${opts}`;
}

export function commandHelp(c: Command): string {
  const lines = [`Usage: ${usageLine(c)}`, '', c.summary];
  if (c.optionHelp?.length) lines.push('', 'Options:', ...c.optionHelp.map((l) => `  ${l}`));
  lines.push('', 'Global options: --url URL, --json, --help');
  return `${lines.join('\n')}\n`;
}
