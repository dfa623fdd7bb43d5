import { main } from './main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs the `kiln` command in-process as a user would from a terminal: `env` is its environment
 * (KILN_URL, KILN_TOKEN, HOME), `stdin` what is piped in; output and exit code come back.
 */
export async function runKiln(args: string[], env: Record<string, string>, options: { stdin?: string; pauseMs?: number } = {}): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(
    args,
    {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      stdin: (async function* () {
        if (options.stdin) yield options.stdin;
      })(),
      env,
    },
    { sleep: () => new Promise((r) => setTimeout(r, options.pauseMs ?? 0)) },
  );
  return { code, out, err };
}
