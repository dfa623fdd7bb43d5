import type { ChildProcess } from 'node:child_process';

/**
 * Stops what a test spawned (Kiln or engine processes): SIGTERM first, so a Kiln stops the instances
 * and balancers it runs (a SIGKILL would leave them going), then SIGKILL after `graceMs`.
 */
export async function stopChildren(children: ChildProcess[], graceMs = 20_000): Promise<void> {
  for (const c of children.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const exited = new Promise((ok) => c.once('exit', ok));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, graceMs))]);
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}
