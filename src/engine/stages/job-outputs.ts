import type { Repositories } from '../../db/types';

/** `::kiln-output name=value::` on a line of its own (GitHub Actions' old set-output form, Kiln's name). */
const OUTPUT_LINE = /^::kiln-output ([A-Za-z_][A-Za-z0-9_.-]{0,63})=(.*)::\s*$/;
const MAX_OUTPUTS = 100;
const MAX_VALUE = 4096;
const PAGE = 1000;

/**
 * The outputs a job published in its log, for later stages' expressions. A name given twice keeps
 * the last value (a restarted attempt's lines come after the earlier attempt's). Values are text, as
 * printed; `fromJson()` reads a JSON one.
 */
export async function jobOutputs(repos: Repositories, executionId: string, refId: string): Promise<{ outputs: Record<string, string>; problems: string[] }> {
  const outputs: Record<string, string> = {};
  const problems: string[] = [];
  for (let after = 0; ; ) {
    const lines = await repos.executionLogs.read(executionId, { refId, after, limit: PAGE });
    for (const { line } of lines) {
      const m = OUTPUT_LINE.exec(line);
      if (!m) continue;
      const [, name, value] = m as unknown as [string, string, string];
      if (!(name in outputs) && Object.keys(outputs).length >= MAX_OUTPUTS) {
        problems.push(`output '${name}' not kept: at most ${MAX_OUTPUTS} outputs`);
        continue;
      }
      if (value.length > MAX_VALUE) problems.push(`output '${name}' cut to ${MAX_VALUE} characters`);
      outputs[name] = value.slice(0, MAX_VALUE);
    }
    if (lines.length < PAGE) break;
    after = lines.at(-1)!.seq;
  }
  return { outputs, problems };
}
