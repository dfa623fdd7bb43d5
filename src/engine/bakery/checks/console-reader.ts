/**
 * A VM's serial console as the boot checks read it: whole lines from QEMU's stdout/stderr chunks,
 * the last few kept for an error message, and the lines where the kernel or init gives up kept apart
 * from the call trace that follows them (frames carry `+0x`), timestamps stripped.
 */
export function createConsoleReader(options: { tailLines: number; notable: RegExp; onLine?: ((line: string) => void) | undefined }) {
  const tail: string[] = [];
  const notable: string[] = [];
  let pending = '';
  return {
    tail,
    /** What to quote when the VM stopped: what the kernel said, else the last lines. */
    last: () => (notable.length ? notable.slice(-3) : tail).join(' | ') || '(no console output)',
    onText(chunk: Buffer) {
      const lines = (pending + chunk.toString('utf8')).split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        options.onLine?.(line);
        tail.push(line);
        if (tail.length > options.tailLines) tail.shift();
        if (options.notable.test(line) && !line.includes('+0x')) notable.push(line.replace(/^\[\s*[\d.]+\]\s*/, ''));
      }
    },
  };
}
