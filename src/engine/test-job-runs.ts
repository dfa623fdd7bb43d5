import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * For tests that count real job runs: every line the jobs appended to `ran` in their own directory
 * (`<jobs root>/<execution>/<stage>`, the one place the sandbox lets a job write), over the jobs
 * roots of every engine, so a job run by two processes shows up twice.
 */
export function runLines(roots: readonly string[]): string[] {
  return roots.flatMap((root) =>
    readdirSync(root)
      .filter((execution) => !execution.startsWith('.'))
      .flatMap((execution) => {
        const dir = join(root, execution);
        return readdirSync(dir).flatMap((stage) => {
          const file = join(dir, stage, 'ran');
          return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
        });
      }),
  );
}
