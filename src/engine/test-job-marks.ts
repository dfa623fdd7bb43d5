import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A job's own mark of having run, for tests that count real runs outside Kiln. A sandboxed job can
 * write only its own directory (`<jobs root>/<execution>/<stage>`), so each run appends this line
 * there, and the test reads them all back: a stage started twice — by one process, or by two with
 * their own jobs roots — shows its line twice.
 */
export const MARK_RUN = 'echo "$KILN_EXECUTION_ID/$KILN_STAGE" >> ran.txt';

/** Every line the jobs under these roots marked, in no particular order. */
export function jobMarks(roots: readonly string[]): string[] {
  const lines: string[] = [];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const execution of readdirSync(root)) {
      if (execution.startsWith('.')) continue; // .runs: the supervisors' files, not the jobs'
      for (const stage of readdirSync(join(root, execution))) {
        const file = join(root, execution, stage, 'ran.txt');
        if (existsSync(file)) lines.push(...readFileSync(file, 'utf8').trim().split('\n').filter(Boolean));
      }
    }
  }
  return lines;
}
