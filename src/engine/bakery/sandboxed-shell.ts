import { chmodSync, lchownSync, lstatSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createJobSandbox, KILN_ROOT, type JobSandbox } from '../jobs/sandbox';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { runCommand } from './run-command';
import type { BakeryPaths } from './store';

const SHELL_TIMEOUT_MS = 30 * 60_000;

/**
 * The sandbox a bake's user-written shell steps run in: the job sandbox (KILN_JOB_SANDBOX, checked
 * at start by config.ts), with Kiln's data dir hidden; the image root is bound back in, writable.
 */
export function bakerySandbox(paths: BakeryPaths): JobSandbox {
  return createJobSandbox({ mode: process.env.KILN_JOB_SANDBOX === 'off' ? 'off' : 'on', hide: [KILN_ROOT, dirname(paths.images), ...Object.values(paths)] });
}

type Owners = Map<string, { uid: number; gid: number; mode: number }>;

/** Every entry under `root` (itself included), never following a symlink. */
function* walk(root: string): Generator<string> {
  yield root;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      yield path;
      if (lstatSync(path).isDirectory()) stack.push(path);
    }
  }
}

/** Hands the image root to the job account so an unprivileged shell can change it; returns who owned what. */
export function lendRoot(root: string, to: { uid: number; gid: number }): Owners {
  const owners: Owners = new Map();
  for (const path of walk(root)) {
    const st = lstatSync(path);
    if (st.uid === to.uid && st.gid === to.gid) continue;
    owners.set(path, { uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 });
    lchownSync(path, to.uid, to.gid);
  }
  return owners;
}

/**
 * Gives the image root back once the shell step has ended (its sandbox's PID namespace is gone, so
 * nothing of it still runs): entries keep their former owners, new ones belong to root as a root
 * shell's would. chown clears set-user-id bits, so modes are set again after it; a mode the
 * step left unchanged gets back the bits the lending cleared. Symlinks are never followed.
 */
export function returnRoot(root: string, owners: Owners): void {
  for (const path of walk(root)) {
    const st = lstatSync(path);
    const was = owners.get(path);
    lchownSync(path, was?.uid ?? 0, was?.gid ?? 0);
    if (st.isSymbolicLink()) continue;
    const now = st.mode & 0o7777;
    chmodSync(path, was && (was.mode & 0o777) === (now & 0o777) ? was.mode : now);
  }
}

/**
 * Runs a recipe's shell step against the image root. Sandboxed, it runs as the job account with
 * the root (at its own path, also its working directory) as the only writable place; a machine
 * that cannot sandbox fails the step with the reason instead of running the script as root.
 */
export async function runShellStep(log: BakeLog, step: string, script: string, root: string, sandbox: JobSandbox, signal?: AbortSignal): Promise<void> {
  const argv = ['/bin/sh', '-e', '-c', script];
  const options = { cwd: root, env: { IMAGE_ROOT: root }, signal, timeoutMs: SHELL_TIMEOUT_MS };
  if (sandbox.mode === 'off') {
    await runCommand(log, step, argv[0]!, argv.slice(1), options);
    return;
  }
  const why = sandbox.unavailable();
  if (why) throw new BakeError(step, why);
  const account = sandbox.account();
  const owners = account ? lendRoot(root, account) : undefined;
  try {
    const { file, args } = sandbox.wrap(argv, { cwd: root, writable: [root], endWithParent: true });
    await runCommand(log, step, file, args, { ...options, env: { ...options.env, HOME: '/tmp' }, label: 'sh' });
  } finally {
    if (owners) returnRoot(root, owners);
  }
}
