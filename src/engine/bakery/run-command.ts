import { spawn } from 'node:child_process';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';

export interface CommandOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Where its stdout goes when not to the log (a pipe to a file). */
  stdoutTo?: NodeJS.WritableStream;
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
  /** How a failure names the program when `file` is only its wrapper (the sandbox's bwrap). */
  label?: string;
}

/**
 * Runs one program (no shell unless the caller asks for /bin/sh) and streams each output line into
 * the bake log under `step`; a non-zero exit is a BakeError quoting the last lines it printed.
 */
export function runCommand(log: BakeLog, step: string, file: string, args: readonly string[], options: CommandOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: { PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`, LANG: 'C.UTF-8', HOME: process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['ignore', options.stdoutTo ? 'pipe' : 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const tail: string[] = [];
    let out = '';
    const onText = (chunk: Buffer, collect: boolean) => {
      const text = chunk.toString('utf8');
      if (collect) out += text;
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        log.event(step, 'output', line);
        tail.push(line);
        if (tail.length > 5) tail.shift();
      }
    };
    if (options.stdoutTo) child.stdout.pipe(options.stdoutTo);
    else child.stdout.on('data', (c: Buffer) => onText(c, true));
    child.stderr.on('data', (c: Buffer) => onText(c, false));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(new BakeError(step, `could not run ${file}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (code === 0) return resolve(out);
      const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with code ${code}`;
      reject(new BakeError(step, `${options.label ?? file.split('/').pop()} ${how}${tail.length ? `: ${tail.join(' | ')}` : ''}`));
    });
  });
}
