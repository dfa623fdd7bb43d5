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
  const chunk = Buffer.alloc(64 * 1024);
  const emit = (bytes: Buffer) => onLine(bytes.toString('utf8').replace(/\r$/, ''));
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
          pending = Buffer.concat([pending, chunk.subarray(0, n)]);
          let nl = pending.indexOf(0x0a);
          while (nl >= 0) {
            // Offset first: a handler reading it sees where this line ends (what to store with it).
            const line = pending.subarray(0, nl);
            offset += nl + 1;
            pending = pending.subarray(nl + 1);
            emit(line);
            nl = pending.indexOf(0x0a);
          }
        }
      } finally {
        closeSync(fd);
        reading = false;
      }
    },
    /** The job ended: a last line without a newline counts too. */
    end() {
      this.read();
      const last = pending;
      offset += last.length;
      pending = Buffer.alloc(0);
      if (last.length > 0) emit(last);
    },
  };
}
