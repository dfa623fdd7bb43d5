import type { Signals } from '../db/signals';

export interface WorkSignals {
  /** Advances what is due in this process now (nothing once closed). */ kick(): void;
  /** Work became due here: this process looks at once, and tells the others (a claim is first come, first served). */
  due(): void;
  /** Whether close() was called since the last listen(): a stopped engine starts nothing, as a dead process would not. */
  readonly stopped: boolean;
  /** Hears other processes' `work` signals (PostgreSQL) until close(). */
  listen(): void;
  close(): void;
}

/** How work that became due reaches a tick: here at once, elsewhere through the `work` signal. */
export function createWorkSignals(options: { tick: () => Promise<number>; signals?: Signals | undefined; onError?: ((err: unknown) => void) | undefined }): WorkSignals {
  let stopped = false;
  let unlisten: (() => void) | undefined;
  const kick = () => {
    if (!stopped) void options.tick().catch((err: unknown) => options.onError?.(err));
  };
  return {
    kick,
    due() {
      kick();
      options.signals?.notify('work');
    },
    get stopped() {
      return stopped;
    },
    listen() {
      stopped = false;
      unlisten = options.signals?.listen('work', kick);
    },
    close() {
      stopped = true;
      unlisten?.();
      unlisten = undefined;
    },
  };
}
