import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { runCommand } from './run-command';
import { requireTool } from './tools';

export type Compression = 'zstd' | 'gzip';
export const EXTENSION: Record<Compression, string> = { zstd: '.zst', gzip: '.gz' };

/** Compresses `input` into `output` with the system compressor (multi-threaded zstd; gzip -6). */
export async function compress(log: BakeLog, step: string, kind: Compression, input: string, output: string): Promise<void> {
  if (kind === 'zstd') {
    await runCommand(log, step, requireTool('zstd'), ['-q', '-f', '-T0', '-3', input, '-o', output]);
    return;
  }
  await pipeThrough(step, requireTool('gzip'), ['-c', '-6'], input, output);
}

export async function decompress(log: BakeLog, step: string, input: string, output: string): Promise<void> {
  if (input.endsWith('.zst')) {
    await runCommand(log, step, requireTool('zstd'), ['-q', '-d', '-f', input, '-o', output]);
    return;
  }
  await pipeThrough(step, requireTool('gzip'), ['-d', '-c'], input, output);
}

/** `program < input > output`, without a shell. */
async function pipeThrough(step: string, program: string, args: string[], input: string, output: string): Promise<void> {
  const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  await Promise.all([pipeline(createReadStream(input), child.stdin), pipeline(child.stdout, createWriteStream(output))]);
  const code = await exited;
  if (code !== 0) throw new BakeError(step, `${program} exited with code ${code}: ${stderr.trim()}`);
}
