import type { Repositories } from '../../db/types';

/** `::kiln-output name=value::` on a line of its own (GitHub Actions' old set-output form, Kiln's name). */
const OUTPUT_LINE = /^::kiln-output ([A-Za-z_][A-Za-z0-9_.-]{0,63})=(.*)::\s*$/;
const MAX_OUTPUTS = 100;
const MAX_VALUE = 4096;
/** What every output line holds, as stored (JSON leaves these characters as they are). */
const MARKER = '::kiln-output ';

/**
 * The outputs a job published in its log, for later stages' expressions. A name given twice keeps
 * the last value (a restarted attempt's lines come after the earlier attempt's). Values are text, as
 * printed; `fromJson()` reads a JSON one.
 */
export async function jobOutputs(repos: Repositories, executionId: string, refId: string): Promise<{ outputs: Record<string, string>; problems: string[] }> {
  const outputs: Record<string, string> = {};
  const problems: string[] = [];
  // Only the chunks that hold a marker: reading a 100k-line log page by page to find none cost more
  // than storing it, on the same thread as the streams still sending its last lines.
  for (const line of await repos.executionLogs.linesOfChunksWith(executionId, refId, MARKER)) {
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
  return { outputs, problems };
}
