/** Where a command writes and what it reads: the real process, or a test's buffers. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: AsyncIterable<Buffer | string>;
  env: Record<string, string | undefined>;
}

/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** The server refused (4xx/5xx) or the operation ended badly (e.g. an execution that failed). */
  failed: 1,
  /** Bad arguments: a usage message went to stderr. */
  usage: 2,
  /** The server could not be reached. */
  unreachable: 3,
} as const;

/** A problem the user caused or must fix; its message goes to stderr as is. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);

export async function readAll(input: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: string[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
  return chunks.join('');
}
