import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The wrapper every job runs in (`/bin/sh -c SUPERVISOR kiln-job RUN_DIR COMMAND...`): it runs the
 * command with its output in RUN_DIR/output (a file, not a pipe to Kiln, so the job keeps running
 * and writing when the Kiln process that started it dies) and then writes the exit status to
 * RUN_DIR/exit (atomically, by rename). Whichever Kiln process watches the job — the launcher or one
 * that adopted it after a crash — stores that status in the database, so every process can
 * complete the stage and a job that succeeded is never reported failed. It runs any argv, so a
 * sandbox that wraps the command line still runs inside it.
 */
export const SUPERVISOR = 'dir=$1; shift; "$@" >"$dir/output" 2>&1 </dev/null; code=$?; echo "$code" >"$dir/exit.tmp" && mv "$dir/exit.tmp" "$dir/exit"';

/** The exit status the wrapper wrote, or undefined while the job runs (or when it was killed with its wrapper). */
export function readExitStatus(runDir: string): number | undefined {
  const file = join(runDir, 'exit');
  if (!existsSync(file)) return undefined;
  const code = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  return Number.isFinite(code) ? code : undefined;
}

/**
 * The process group of the wrapper running in `runDir`, found by its arguments in /proc: a stored
 * pgid alone could name an unrelated process after pid reuse, and a launcher killed right after
 * spawning never stored one. Undefined when no such wrapper is alive (or /proc is unreadable).
 */
export function findGroup(runDir: string): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv[3] !== 'kiln-job' || argv[4] !== runDir) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') return Number(pgrp);
    } catch {
      // gone while looking
    }
  }
  return undefined;
}

/** Whether any process of the group is still alive (EPERM: alive, owned by someone else). */
export function groupAlive(pgid: number | null): boolean {
  if (!pgid) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads the job's output file from a byte offset as it grows and hands out whole lines. `offset`
 * is where the last whole line ended: stored with the log, an adopter resumes exactly there.
 */
export function createOutputTail(path: string, from: number, onLine: (line: string) => void) {
  let offset = from;
  let pending = Buffer.alloc(0);
  let reading = false;
  const chunk = Buffer.alloc(256 * 1024);
  const emit = (bytes: Buffer) => onLine(bytes.toString('utf8').replace(/\r$/, ''));
  /**
   * Hands out the lines of `whole` (ending in a newline). Decoded as one string and split, not
   * decoded line by line: a flood of short lines spent most of its read in per-line decoding (a
   * 100k-line job: ~80% of the read). When every character decoded from one byte (ASCII, or a stray
   * byte that became U+FFFD) a line's length is its byte length, so the offsets stay exact; any
   * multi-byte character sends the block down the line-by-line path, which counts bytes.
   */
  const handOut = (whole: Buffer) => {
    const text = whole.toString('utf8');
    if (text.length !== whole.length) {
      for (let rest = whole, nl = rest.indexOf(0x0a); nl >= 0; nl = rest.indexOf(0x0a)) {
        // The offset counts a line before it is handed out: a handler that stores what it has so far
        // (a full batch) stores the offset just past its last line, where an adopter resumes.
        offset += nl + 1;
        const line = rest.subarray(0, nl);
        rest = rest.subarray(nl + 1);
        emit(line);
      }
      return;
    }
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      offset += nl - start + 1;
      const line = text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
      start = nl + 1;
      onLine(line);
    }
  };
  return {
    get offset() {
      return offset;
    },
    /**
     * Reads what was appended since the last call. Not re-entrant: a line handler that flushes (and
     * so reads) while a read is under way returns at once — the outer read goes on to the end, and
     * a nested one would have moved `offset` and `pending` under it, splitting and repeating lines.
     */
    read() {
      if (reading || !existsSync(path)) return;
      reading = true;
      const fd = openSync(path, 'r');
      try {
        for (;;) {
          const n = readSync(fd, chunk, 0, chunk.length, offset + pending.length);
          if (n <= 0) break;
          pending = pending.length > 0 ? Buffer.concat([pending, chunk.subarray(0, n)]) : Buffer.from(chunk.subarray(0, n));
          const last = pending.lastIndexOf(0x0a);
          if (last < 0) continue;
          const whole = pending.subarray(0, last + 1);
          pending = pending.subarray(last + 1);
          handOut(whole);
        }
      } finally {
        closeSync(fd);
        reading = false;
      }
    },
    /** The job ended: a last line without a newline counts too. */
    end() {
      this.read();
      const rest = pending;
      offset += rest.length;
      pending = Buffer.alloc(0);
      if (rest.length > 0) emit(rest);
    },
  };
}
