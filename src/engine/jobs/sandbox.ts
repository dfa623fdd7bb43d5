import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lchownSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

/** `on` (the default): every job runs under bubblewrap as an unprivileged user; `off`: as Kiln's own user, as before. */
export type SandboxMode = 'on' | 'off';

export interface SandboxSettings {
  mode: SandboxMode;
  /** Host paths no job may see (Kiln's install, KILN_DATA, the jobs root): each is covered by an empty tmpfs. */
  hide?: readonly string[];
  /** Paths under a hidden one that jobs may still read, at the same path (the demo's smoke test ships with Kiln). */
  readOnly?: readonly string[];
  /** The account jobs run as when Kiln runs as root; `kiln-job` (made by ensure-sandbox-tools.sh), else `nobody`. */
  user?: string;
  /** The bubblewrap program; looked up on PATH (then /usr/bin, /bin) when unset. */
  bwrap?: string;
}

export interface WrapOptions {
  cwd: string;
  writable: readonly string[];
  readOnly?: readonly string[];
  /**
   * End the sandbox when its parent (Kiln, or Packer) dies. Jobs leave it unset: like the plain
   * processes they were, they outlive a Kiln that crashed; a bake's shell step sets it.
   */
  endWithParent?: boolean;
}

/** A program line to spawn: already wrapped in the sandbox when it is on. */
export interface SandboxedCommand {
  file: string;
  args: string[];
}

export interface JobSandbox {
  readonly mode: SandboxMode;
  /** Why no job can run here (no bwrap, no user namespaces, no account to run as); undefined when they can. */
  unavailable(): string | undefined;
  /**
   * Makes `dir` the job's own directory, writable by the job's account and by no other. Kiln (root)
   * touches only that directory itself, never a path inside it the job could have made a symlink.
   */
  prepare(dir: string): void;
  /** The host account jobs run as when Kiln is root (files a shell step makes are owned by it); undefined otherwise. */
  account(): { uid: number; gid: number } | undefined;
  /**
   * `argv` run inside the sandbox: `writable` directories are the only writable places (at their own
   * paths), `cwd` (inside one of them) is created by the job's account if missing.
   */
  wrap(argv: readonly string[], options: WrapOptions): SandboxedCommand;
}

/** Kiln's own checkout or install: two levels above src/engine/jobs. */
export const KILN_ROOT = resolve(import.meta.dirname, '../../..');
/** The demo's web app and smoke test: the one part of Kiln's files a job may read. */
export const DEMO_DIR = join(KILN_ROOT, 'src', 'demo');

/** Places where people and services keep secrets on a host; never shown to a job. */
const ALWAYS_HIDDEN = ['/home', '/root', '/var/tmp', '/run/user', '/srv', '/mnt', '/media'];

/** Where the outer (root) bwrap puts the directories a job binds, inside its own private /tmp. */
const STAGE = '/tmp/.kiln-stage';

export const SANDBOX_OFF_HINT = "set KILN_JOB_SANDBOX=off to run jobs unsandboxed as Kiln's own user (not recommended when Kiln runs as root)";

interface Account {
  name: string;
  uid: number;
  gid: number;
}

function findAccount(name: string): Account | undefined {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid && gid) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

function which(tool: string): string | undefined {
  for (const dir of `${process.env.PATH ?? ''}${delimiter}/usr/bin${delimiter}/bin`.split(delimiter)) {
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  }
  return undefined;
}

/** The real path, so a symlinked KILN_DATA is hidden where it really is; paths that do not exist need no hiding. */
function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The sandbox jobs and the bakery's shell steps run in (bubblewrap): a real unprivileged host
 * account (when Kiln is root, `bwrap --uid` alone would only look unprivileged: outside its user
 * namespace the process would still be uid 0 and read root's files), new PID, IPC, UTS and mount
 * namespaces, the host read-only, a private /tmp and /dev, Kiln's files and data covered, and the
 * job's own directory as the only writable place. The network is shared: jobs reach loopback
 * services such as the local cloud's load balancers.
 */
export function createJobSandbox(settings: SandboxSettings): JobSandbox {
  const asRoot = process.getuid?.() === 0;
  let account: Account | undefined;
  let setpriv: string | undefined;
  let bwrap: string | undefined;
  let problem: string | undefined;
  let checked = false;

  const hidden = [...ALWAYS_HIDDEN, homedir(), ...(settings.hide ?? [])].map(real).filter((p): p is string => !!p && p !== '/');
  const readable = (settings.readOnly ?? []).map(real).filter((p): p is string => !!p);

  const build = (argv: readonly string[], options: WrapOptions): SandboxedCommand => {
    const binds = [...readable, ...(options.readOnly ?? [])].map((path) => ({ path, flag: '--ro-bind' })).concat(options.writable.map((path) => ({ path, flag: '--bind' })));
    // Dropped to an unprivileged account, bwrap could not even reach a directory under a private
    // (0700) KILN_DATA; so root first binds each one at a passable staging path in a mount namespace of its own.
    const from = (i: number, path: string) => (account ? `${STAGE}/${i}` : path);
    const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
    for (const path of new Set(hidden)) args.push('--tmpfs', path);
    binds.forEach((b, i) => args.push(b.flag, from(i, b.path), b.path));
    args.push('--dir', options.cwd, '--chdir', options.cwd);
    args.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--hostname', 'kiln-job');
    // Nested, the sandbox's parent is the outer bwrap's init: it goes when that namespace goes.
    if (account || options.endWithParent) args.push('--die-with-parent');
    args.push('--', ...argv);
    if (!account || !setpriv) return { file: bwrap!, args };
    const stage = ['--dev-bind', '/', '/', '--perms', '0711', '--tmpfs', '/tmp', '--perms', '0711', '--dir', STAGE];
    binds.forEach((b, i) => stage.push('--bind', b.path, `${STAGE}/${i}`));
    // The outer bwrap's PID namespace holds the whole job: killing that one process (a timeout, a
    // canceled bake) ends everything in it, although setpriv's change of user drops the death signal.
    if (options.endWithParent) stage.push('--die-with-parent');
    return { file: bwrap!, args: [...stage, '--unshare-pid', '--', setpriv, `--reuid=${account.uid}`, `--regid=${account.gid}`, '--clear-groups', '--nnp', bwrap!, ...args] };
  };

  const check = (): string | undefined => {
    if (checked) return problem;
    checked = true;
    bwrap = settings.bwrap ?? which('bwrap');
    if (bwrap && !existsSync(bwrap)) bwrap = undefined;
    if (!bwrap) return (problem = `jobs run in a sandbox and bubblewrap (bwrap) is not installed; run 'bash src/tools/ensure-sandbox-tools.sh' as root, or ${SANDBOX_OFF_HINT}`);
    if (asRoot) {
      account = findAccount(settings.user ?? 'kiln-job') ?? findAccount('nobody');
      setpriv = which('setpriv');
      if (!account)
        return (problem = `jobs run in a sandbox as an unprivileged account and neither '${settings.user ?? 'kiln-job'}' nor 'nobody' exists; run 'bash src/tools/ensure-sandbox-tools.sh', or ${SANDBOX_OFF_HINT}`);
      if (!setpriv) return (problem = `jobs run in a sandbox and setpriv (util-linux) is missing to drop root; ${SANDBOX_OFF_HINT}`);
    }
    // One real start: bwrap is there but user namespaces may be off (sysctl, a container without them).
    const probe = build(['/bin/true'], { cwd: '/tmp', writable: [] });
    const result = spawnSync(probe.file, probe.args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status !== 0) {
      const why = (result.stderr || result.error?.message || `exit ${String(result.status ?? result.signal)}`).trim().split('\n').at(-1);
      return (problem = `jobs run in a sandbox and bubblewrap cannot start one on this machine (${why}); unprivileged user namespaces must be enabled, or ${SANDBOX_OFF_HINT}`);
    }
    return undefined;
  };

  if (settings.mode === 'off') {
    return {
      mode: 'off',
      unavailable: () => undefined,
      prepare: (dir) => void mkdirSync(dir, { recursive: true }),
      account: () => undefined,
      wrap: (argv) => ({ file: argv[0]!, args: argv.slice(1) }),
    };
  }
  return {
    mode: 'on',
    unavailable: check,
    prepare(dir) {
      mkdirSync(dir, { recursive: true });
      if (check()) return;
      if (account) lchownSync(dir, account.uid, account.gid);
      chmodSync(dir, 0o700);
    },
    account: () => (check() ? undefined : account),
    wrap(argv, options) {
      const why = check();
      if (why) throw new Error(why);
      return build(argv, options);
    },
  };
}

/** Where a job with `workingDir` runs when sandboxed: always inside its own directory ('/x' is `<dir>/x`). */
export function workingDirIn(dir: string, workingDir: string | undefined): string {
  if (!workingDir) return dir;
  const inside = resolve(dir, `.${resolve('/', workingDir)}`);
  return inside.startsWith(dir) ? inside : dir;
}
