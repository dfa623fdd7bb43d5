import { parseArgs } from 'node:util';
import { createClient } from './client';
import { commandHelp, usageLine, type Command } from './command';
import { loadConfig, resolveTarget } from './config';
import { CliError, EXIT, type CliIo } from './io';
import { appCommands } from './commands/apps';
import { pipelineCommands } from './commands/pipelines';
import { pipelineManagementCommands } from './commands/pipeline-management';
import { executionCommands } from './commands/executions';
import { waitCommand } from './commands/wait';
import { toolCommands } from './commands/tools';
import { provisioningCommands } from './commands/provisioning';
import { imageDownloadCommands } from './commands/image-download';
import { imageCacheCommands } from './commands/image-cache';
import { imageBakeCommands } from './commands/image-bake';
import { imageCommands } from './commands/images';
import { accountCommands } from './commands/accounts';
import { ciServerCommands } from './commands/ci-servers';
import { serverGroupCommands } from './commands/server-groups';
import { instanceCommands } from './commands/instances';

export const COMMANDS: Command[] = [
  ...toolCommands,
  ...appCommands,
  ...pipelineCommands,
  ...pipelineManagementCommands,
  ...executionCommands,
  waitCommand,
  ...imageCommands,
  ...accountCommands,
  ...ciServerCommands,
  ...provisioningCommands,
  ...imageDownloadCommands,
  ...imageCacheCommands,
  ...imageBakeCommands,
  ...serverGroupCommands,
  ...instanceCommands,
];

const GLOBAL = {
  url: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => usageLine(c).length));
  return [
    'kiln: drive Kiln (pipelines, executions, clusters) from a terminal or a script.',
    '',
    'Usage: kiln [--url URL] [--json] COMMAND [ARGS] [OPTIONS]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${usageLine(c).padEnd(width)}  ${c.summary.split('\n')[0]}`),
    '',
    'The server is --url, else $KILN_URL, else the one `kiln login` saved, else http://127.0.0.1:8080.',
    'An API token comes from $KILN_TOKEN or `kiln login --token`.',
    '--json prints what the API answered; otherwise tables for people. `kiln COMMAND --help` for details.',
    'Exit codes: 0 done, 1 the server refused or the operation failed, 2 bad usage, 3 server unreachable.',
    '',
  ].join('\n');
}

/** The non-option words, skipping the value after any option that takes one (`--url X`, `-p k=v`). */
function commandWords(argv: string[]): string[] {
  const takesValue = new Set<string>(['--url']);
  for (const c of COMMANDS) {
    for (const [name, o] of Object.entries(c.options ?? {})) {
      if (o.type !== 'string') continue;
      takesValue.add(`--${name}`);
      if (o.short) takesValue.add(`-${o.short}`);
    }
  }
  const words: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    if (a === '--') break;
    if (takesValue.has(a)) i += 1;
    else if (!a.startsWith('-')) words.push(a);
  }
  return words;
}

function findCommand(words: string[]): { command: Command; rest: string[] } | undefined {
  const matches = COMMANDS.filter((c) => c.words.every((w, i) => words[i] === w)).sort((a, b) => b.words.length - a.words.length);
  const command = matches[0];
  return command ? { command, rest: words.slice(command.words.length) } : undefined;
}

/** Runs one kiln invocation; returns the exit code (never throws, never calls process.exit). */
export async function main(argv: string[], io: CliIo, options: { fetch?: typeof fetch; sleep?: (ms: number) => Promise<void> } = {}): Promise<number> {
  const words = commandWords(argv);
  const found = findCommand(words);
  try {
    if (!found) {
      if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
        io.stdout.write(mainHelp());
        return argv.length === 0 ? EXIT.usage : EXIT.ok;
      }
      const prefix = COMMANDS.filter((c) => c.words[0] === words[0]);
      const hint = prefix.length > 0 ? `\n${prefix.map((c) => `  ${usageLine(c)}`).join('\n')}` : ' (run kiln --help for the list)';
      throw new CliError(`unknown command '${words.join(' ')}'${hint}`, EXIT.usage);
    }
    const { command } = found;
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: { ...GLOBAL, ...command.options }, allowPositionals: true, strict: true });
    } catch (err) {
      throw new CliError(`${(err as Error).message.replace(/^TypeError \[\w+\]: /, '')}\n${commandHelp(command)}`, EXIT.usage);
    }
    if (parsed.values.help) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    const positionals = parsed.positionals.slice(command.words.length);
    const required = command.args.filter((a) => !a.endsWith('?') && !a.endsWith('...')).length;
    const variadic = command.args.some((a) => a.endsWith('...'));
    if (positionals.length < required || (!variadic && positionals.length > command.args.length)) {
      throw new CliError(`expected ${command.args.join(' ') || 'no arguments'}, got ${positionals.length ? positionals.join(' ') : 'none'}\n${commandHelp(command)}`, EXIT.usage);
    }
    const target = resolveTarget(parsed.values.url as string | undefined, io.env, await loadConfig(io.env));
    return await command.run({
      io,
      json: parsed.values.json === true,
      client: createClient(target, options.fetch),
      target,
      values: parsed.values as Record<string, string | boolean | string[] | undefined>,
      positionals,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    });
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`kiln: ${err.message}${err.message.endsWith('\n') ? '' : '\n'}`);
      return err.exitCode;
    }
    io.stderr.write(`kiln: unexpected error: ${err instanceof Error ? err.stack : String(err)}\n`);
    return EXIT.failed;
  }
}
