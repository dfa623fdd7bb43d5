import { readFile } from 'node:fs/promises';
import { getHealth } from '../../shared/api/system';
import { translateButaneToIgnition } from '../../shared/api/provisioning';
import { formatDiagnostic } from '../../shared/provisioning/diagnostic';
import { recordingFilesDir, type FilesDirAccess, type FilesDirEntryInput } from '../../shared/provisioning/files-dir';
import { translateButane } from '../../shared/provisioning/translate-butane';
import { diskFilesDir } from '../files-dir';
import { createClient } from '../client';
import { defineCommand } from '../command';
import { saveConfig } from '../config';
import { CliError, EXIT, readAll, usageError } from '../io';

/** A file's text, or stdin for '-' (or when no file is given and stdin is piped). */
export async function readInput(file: string | undefined, stdin: AsyncIterable<Buffer | string>): Promise<string> {
  if (file === undefined || file === '-') return readAll(stdin);
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, EXIT.usage);
  }
}

/**
 * The names of `dir` a translation reads, read here (the server never reads its disk for a caller):
 * the translator runs once locally over the directory to learn them; problems only this machine can
 * see (a missing file, a link leading out of the directory) are printed and end the command.
 */
function localFiles(io: { stderr: { write(t: string): unknown } }, butane: string, dir: string, strict: boolean): FilesDirEntryInput[] | typeof EXIT.failed {
  let access: FilesDirAccess;
  try {
    access = diskFilesDir(dir);
  } catch (err) {
    throw usageError(`--files-dir ${dir}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (err as Error).message}`);
  }
  const recording = recordingFilesDir(access);
  const local = translateButane(butane, { strict, ...recording.access });
  if (local.errors.length === 0) return recording.entries();
  for (const e of local.errors) io.stderr.write(`${formatDiagnostic('error', e)}\n`);
  return EXIT.failed;
}

export const toolCommands = [
  defineCommand({
    words: ['login'],
    args: [],
    summary: 'Check a Kiln server answers and remember it (and an API token) for later commands',
    options: { token: { type: 'string' } },
    optionHelp: ['--url URL      the server (default http://127.0.0.1:8080)', '--token TOKEN  an API token to send as Authorization: Bearer'],
    async run({ io, values, target, json }) {
      const token = values.token as string | undefined;
      const health = await createClient({ url: target.url, ...(token ? { token } : {}) })(getHealth);
      const path = await saveConfig(io.env, { url: target.url, ...(token ? { token } : {}) });
      if (json) io.stdout.write(`${JSON.stringify({ url: target.url, config: path, server: health }, null, 2)}\n`);
      else io.stdout.write(`Kiln ${health.version} at ${target.url} answers; saved to ${path}\n`);
      return EXIT.ok;
    },
  }),
  defineCommand({
    words: ['butane', 'translate'],
    args: ['FILE?'],
    summary: 'Translate Butane YAML (a file, or stdin) into Ignition JSON; warnings and errors on stderr with line/column',
    options: { strict: { type: 'boolean', default: false }, 'files-dir': { type: 'string' } },
    optionHelp: ['--strict         treat warnings as errors (exit 1)', '--files-dir DIR  where local: sources and storage.trees are read (never outside it)'],
    async run({ io, client, values, positionals, json }) {
      const butane = await readInput(positionals[0], io.stdin);
      if (butane.trim() === '') throw usageError('no Butane given: pass a FILE or pipe it on stdin');
      const filesDir = values['files-dir'] as string | undefined;
      const files = filesDir === undefined ? undefined : localFiles(io, butane, filesDir, values.strict === true);
      if (files === EXIT.failed) return EXIT.failed;
      const result = await client(translateButaneToIgnition, { body: { butane, strict: values.strict === true, ...(files ? { files } : {}) } });
      for (const w of result.warnings) io.stderr.write(`${formatDiagnostic('warning', w)}\n`);
      for (const e of result.errors) io.stderr.write(`${formatDiagnostic('error', e)}\n`);
      if (json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (result.ignition) io.stdout.write(`${JSON.stringify(result.ignition, null, 2)}\n`);
      return result.ignition && result.errors.length === 0 ? EXIT.ok : EXIT.failed;
    },
  }),
];
