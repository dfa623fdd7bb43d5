import { getExecution } from '../../shared/api/executions';
import { COMPLETED, type Execution } from '../../shared/domain/execution';
import { defineCommand } from '../command';
import { EXIT, usageError } from '../io';
import { print } from '../output';

/** The manual judgment an execution waits on, if any. */
const pendingJudgment = (e: Execution) => e.stages.find((s) => s.type === 'manualJudgment' && s.status === 'SUSPENDED');

/**
 * Scripts need to stop at a point of an execution — "the promotion waits for approval", "it
 * ended" — without parsing `execution get` in a loop of their own.
 */
export const waitCommand = defineCommand({
  words: ['execution', 'wait'],
  args: ['ID'],
  summary: 'Wait until an execution needs a judgment (--for judgment) or ends (--for end, the default); exit 1 if it ends otherwise or the timeout passes',
  options: { for: { type: 'string', default: 'end' }, timeout: { type: 'string', default: '600' } },
  optionHelp: ['--for judgment|end  what to wait for (default end: exit 0 only if it succeeded)', '--timeout SEC       give up after this many seconds (default 600)'],
  async run({ io, client, values, positionals, json, sleep }) {
    const until = values.for as string;
    if (until !== 'judgment' && until !== 'end') throw usageError(`--for must be 'judgment' or 'end', not '${until}'`);
    const timeoutSec = Number(values.timeout);
    if (!Number.isInteger(timeoutSec) || timeoutSec < 1) throw usageError(`--timeout must be a whole number of seconds (1 or more), not '${String(values.timeout)}'`);
    const deadline = Date.now() + timeoutSec * 1000;
    for (;;) {
      const e = await client(getExecution, { params: { executionId: positionals[0]! } });
      const judgment = pendingJudgment(e);
      if (until === 'judgment' && judgment) {
        print(
          io,
          json,
          e,
          () => `Waiting for a judgment on stage '${judgment.refId}' (${judgment.name}). Approve with: kiln execution judge ${e.id} ${judgment.refId} --approve\n`,
        );
        return EXIT.ok;
      }
      if (COMPLETED.has(e.status)) {
        const failed = e.stages.find((s) => s.error);
        print(io, json, e, () => `Execution ${e.id} ended ${e.status}${failed ? ` (stage '${failed.name}': ${failed.error})` : ''}\n`);
        return until === 'end' && e.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
      }
      if (Date.now() >= deadline) {
        io.stderr.write(`kiln: execution ${e.id} is still ${e.status} after ${timeoutSec} s\n`);
        return EXIT.failed;
      }
      await sleep(1000);
    }
  },
});
