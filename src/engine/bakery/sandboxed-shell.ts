import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, lchownSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createJobSandbox, KILN_ROOT, type JobSandbox } from '../jobs/sandbox';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { runCommand } from './run-command';
import { requireTool } from './tools';
import type { BakeryPaths } from './store';

const SHELL_TIMEOUT_MS = 30 * 60_000;

/**
 * The sandbox a bake's user-written shell steps run in: the job sandbox (KILN_JOB_SANDBOX, checked
 * at start by config.ts), with Kiln's data dir hidden; the image root is bound back in, writable.
 */
export function bakerySandbox(paths: BakeryPaths): JobSandbox {
  return createJobSandbox({ mode: process.env.KILN_JOB_SANDBOX === 'off' ? 'off' : 'on', hide: [KILN_ROOT, dirname(paths.images), ...Object.values(paths)] });
}

/**
 * A file's `security.capability` as getfattr dumps it, and which file it was: the same inode with
 * the same bytes gets it back; a file the step replaced or rewrote (its times are the step's to
 * set) does not, so no code of the step's making is given a capability.
 */
interface Capability {
  dump: string;
  path: string;
  identity: string;
}

const identityOf = (path: string) => {
  const st = lstatSync(path);
  return st.isFile() ? `${st.dev}:${st.ino}:${st.size}:${createHash('sha256').update(readFileSync(path)).digest('hex')}` : undefined;
};

interface Owners {
  byPath: Map<string, { uid: number; gid: number; mode: number }>;
  capabilities: Capability[];
}

const unescapePath = (p: string) =>
  Buffer.from(
    p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))),
    'latin1',
  ).toString('utf8');

/**
 * chown drops a file's capabilities (Debian's ping keeps cap_net_raw in `security.capability`),
 * so they are read before the root is lent, to be set again when it is returned.
 */
function readCapabilities(root: string): Capability[] {
  // Installed with setfattr (package attr), which the bakery needs anyway.
  const getfattr = requireTool('getfattr');
  let out: string;
  try {
    out = execFileSync(getfattr, ['-R', '-P', '--absolute-names', '-d', '-e', 'hex', '-m', '^security\\.capability$', root], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 << 20,
    });
  } catch (err) {
    out = String((err as { stdout?: string }).stdout ?? '');
  }
  return out.split('\n\n').flatMap((block) => {
    const m = /^# file: (.+)\n(security\.capability=0x[0-9a-f]+)/.exec(block.trim());
    if (!m) return [];
    const path = unescapePath(m[1]!);
    const identity = identityOf(path);
    return identity ? [{ dump: `# file: ${m[1]}\n${m[2]}\n`, path, identity }] : [];
  });
}

function restoreCapabilities(capabilities: Capability[]): void {
  const unchanged = capabilities.filter((c) => {
    try {
      return identityOf(c.path) === c.identity;
    } catch {
      return false;
    }
  });
  if (unchanged.length === 0) return;
  execFileSync(requireTool('setfattr'), ['-h', '--restore=-'], { input: unchanged.map((c) => c.dump).join('\n'), stdio: ['pipe', 'ignore', 'pipe'] });
}

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
  const owners: Owners = { byPath: new Map(), capabilities: readCapabilities(root) };
  for (const path of walk(root)) {
    const st = lstatSync(path);
    if (st.uid === to.uid && st.gid === to.gid) continue;
    owners.byPath.set(path, { uid: st.uid, gid: st.gid, mode: st.mode & 0o7777 });
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
    const was = owners.byPath.get(path);
    lchownSync(path, was?.uid ?? 0, was?.gid ?? 0);
    if (st.isSymbolicLink()) continue;
    const now = st.mode & 0o7777;
    chmodSync(path, was && (was.mode & 0o777) === (now & 0o777) ? was.mode : now);
  }
  // After the chown, which would drop them again; a file the step rewrote keeps what it has now.
  restoreCapabilities(owners.capabilities);
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
