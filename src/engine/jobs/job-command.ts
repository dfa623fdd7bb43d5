import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JobSpec } from './job-runner';
import { SUPERVISOR } from './job-supervisor';
import { workingDirIn, type JobSandbox } from './sandbox';

export type JobCommand = { error: string } | { file: string; args: string[]; cwd: string; home: string };

/**
 * What to spawn for a job, and where. Sandboxed, a job always gets its own directory under the
 * jobs root (a `workingDir` is a folder inside it, created on demand); unsandboxed (KILN_JOB_SANDBOX=off)
 * a `workingDir` is a host directory, as before. A sandbox that cannot start refuses the job: a
 * job never falls back to running with Kiln's own rights unless the admin said so.
 */
export function jobCommand(sandbox: JobSandbox, jobsRoot: string, spec: JobSpec): JobCommand {
  const root = resolve(jobsRoot);
  const own = join(root, spec.executionId, spec.refId);
  const argv = ['/bin/sh', '-c', spec.command];
  if (sandbox.mode === 'off') {
    const cwd = spec.workingDir ? resolve(spec.workingDir) : own;
    if (!spec.workingDir) mkdirSync(cwd, { recursive: true });
    if (!existsSync(cwd)) return { error: `workingDir ${cwd} does not exist` };
    return { file: argv[0]!, args: argv.slice(1), cwd, home: process.env.HOME ?? cwd };
  }
  const refused = sandbox.unavailable();
  if (refused) return { error: refused };
  sandbox.prepare(own);
  const { file, args } = sandbox.wrap(argv, { cwd: workingDirIn(own, spec.workingDir), writable: [own] });
  return { file, args, cwd: own, home: own };
}

/** Starts a job `jobCommand` allowed, as a process group of its own under the supervisor wrapper. */
export function spawnJob(runDir: string, run: Extract<JobCommand, { file: string }>, spec: JobSpec): ChildProcess {
  // The supervisor runs outside the sandbox (it writes the output and exit status under runDir,
  // which the job cannot see) and runs the sandboxed command line after its own arguments.
  return spawn('/bin/sh', ['-c', SUPERVISOR, 'kiln-job', runDir, run.file, ...run.args], {
    cwd: run.cwd,
    detached: true, // its own process group, so a timeout kills what the command started too
    stdio: 'ignore', // output goes to a file (see job-supervisor.ts): the job outlives a killed Kiln
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: run.home,
      LANG: process.env.LANG ?? 'C.UTF-8',
      KILN_EXECUTION_ID: spec.executionId,
      KILN_STAGE: spec.refId,
      ...spec.env,
    },
  });
}
