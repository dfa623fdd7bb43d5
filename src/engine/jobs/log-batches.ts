/**
 * Lines are stored and sent in batches of about this many bytes (one chunk, one event): a flood costs
 * few writes. 512 KB rather than 128 KB: each batch costs a transaction, a read by each stream's hub
 * and an event parsed and drawn by each viewer, and at 128 KB those fixed costs held a flood to about
 * half the rate (job → SSE on PGlite, measured side by side). A line printed alone still goes at once.
 */
export const LOG_BATCH_BYTES = 512 * 1024;

/**
 * A job's lines on their way to the log: batches written one after another by `write`. While one is
 * written the next fills up, so a flood goes out in a few large batches and a line printed alone
 * goes out at once. `offset` is where a batch's last line ends in its source (stored with it).
 */
export function createLogBatches(write: (lines: string[], offset: number) => Promise<void>, onError: (err: unknown) => void) {
  const batches: Array<{ lines: string[]; bytes: number; offset: number }> = [];
  let writing: Promise<void> | undefined;
  const send = (): Promise<void> =>
    (writing ??= (async () => {
      // After the read under way (synchronous) has handed over all it has, not after its first line.
      await Promise.resolve();
      for (let batch = batches.shift(); batch; batch = batches.shift()) await write(batch.lines, batch.offset).catch(onError);
    })().finally(() => {
      writing = undefined;
      if (batches.length > 0) void send();
    }));
  return {
    add(line: string, bytes: number, offset: number): void {
      let batch = batches.at(-1);
      if (!batch || batch.bytes >= LOG_BATCH_BYTES) batches.push((batch = { lines: [], bytes: 0, offset }));
      batch.lines.push(line);
      batch.bytes += bytes;
      batch.offset = offset;
      void send();
    },
    /** Resolves once every line added so far is written (or failed). */
    flush(): Promise<void> {
      return batches.length > 0 || writing ? send() : Promise.resolve();
    },
  };
}
