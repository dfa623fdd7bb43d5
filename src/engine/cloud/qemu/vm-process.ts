import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isAlive, LOG_FILE, readLogTail } from '../instance-process';
import { qemuArgs, type VmSpec } from './qemu-args';
import { qmp } from './qmp';

const run = promisify(execFile);

/** What Kiln keeps of a VM beside it, so a later Kiln finds it (adoption) and knows what it is. */
export interface VmRecord {
  instanceId: string;
  account: string;
  region: string;
  serverGroup: string;
  port: number;
  launchedAt: string;
  /** The host URL the metadata service gave it (its token is on the VM's kernel command line); a later Kiln registers it again. */
  metadataUrl?: string | undefined;
  /** When it reported ready, so an adopted VM is not made to report again. */
  readyAt?: string | undefined;
}

/** A VM's files: `<stateDir>/vms/<instanceId>/` holds its overlay, console log, QMP socket, pid file and record. */
export function vmPaths(stateDir: string, instanceId: string) {
  const dir = join(stateDir, 'vms', instanceId);
  return { dir, disk: join(dir, 'disk.qcow2'), log: join(dir, LOG_FILE), qmp: join(dir, 'qmp.sock'), pid: join(dir, 'qemu.pid'), record: join(dir, 'vm.json') };
}

// Owner-only: the record holds the instance's metadata token (which reads its user data and reports for it).
export const writeRecord = (stateDir: string, record: VmRecord) => writeFileSync(vmPaths(stateDir, record.instanceId).record, JSON.stringify(record), { mode: 0o600 });

export function readRecord(stateDir: string, instanceId: string): VmRecord | undefined {
  try {
    return JSON.parse(readFileSync(vmPaths(stateDir, instanceId).record, 'utf8')) as VmRecord;
  } catch {
    return undefined;
  }
}

/** Creates the instance's copy-on-write overlay on the image's raw partition: the image itself is never written. */
export async function createOverlay(qemuImg: string, raw: string, disk: string, growMiB = 0): Promise<void> {
  try {
    // qcow2 is sparse: the larger virtual size costs nothing until the guest writes there.
    await run(qemuImg, ['create', '-q', '-f', 'qcow2', '-b', raw, '-F', 'raw', disk, String(statSync(raw).size + growMiB * 1024 * 1024)]);
  } catch (err) {
    throw new Error(`qemu-img could not create the instance's disk: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`);
  }
}

/**
 * Starts the VM as a process of its own (detached: it outlives this Kiln, which a later one adopts)
 * with its console appended to the instance log. Resolves with its pid once QEMU runs, rejects
 * when the binary cannot be started.
 */
export function startVm(qemu: string, spec: VmSpec, log: string): Promise<number> {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(qemu, qemuArgs(spec), { detached: true, stdio: ['ignore', fd, fd] });
    return new Promise((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`could not run ${qemu}: ${err.message}`)));
      child.once('spawn', () => {
        child.unref();
        resolve(child.pid!);
      });
    });
  } finally {
    closeSync(fd);
  }
}

/** A pid is this VM's only while its command line still names the VM's own disk: a reused pid is someone else's process. */
export function isOurVm(pid: number, disk: string): boolean {
  if (!(pid > 0) || !isAlive(pid)) return false;
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.some((a) => a.includes(`file=${disk.replaceAll(',', ',,')},`));
  } catch {
    return false;
  }
}

export function readPid(stateDir: string, instanceId: string): number | undefined {
  try {
    return Number(readFileSync(vmPaths(stateDir, instanceId).pid, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops a VM: ACPI power-down through QMP (the guest shuts down cleanly), then SIGKILL after the
 * grace period (a guest that ignores the button, a QMP socket gone). Resolves once the process is gone.
 */
export async function stopVm(pid: number, paths: ReturnType<typeof vmPaths>, graceMs: number): Promise<void> {
  if (isOurVm(pid, paths.disk)) {
    await qmp(paths.qmp, 'system_powerdown').catch(() => undefined);
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await wait(50);
    // The pid is checked again: it may have been reused while we waited.
    if (isOurVm(pid, paths.disk)) process.kill(pid, 'SIGKILL');
  }
  const hard = Date.now() + 3000;
  while (isAlive(pid) && Date.now() < hard) await wait(25);
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

/** The last lines of the console, for a failure's reason. */
export function consoleTail(paths: ReturnType<typeof vmPaths>, lines: number): string {
  const text = readLogTail(paths.dir, 16_384) ?? '';
  return (
    text
      .split(/\r?\n/)
      // The guest's shell asks the terminal for its size (ESC [6n); those escapes are noise in a reason.
      .map((l) => l.replace(ANSI, '').trimEnd())
      .filter((l) => l.trim())
      .slice(-lines)
      .join(' | ')
  );
}

/** What the console says when the guest kernel gave up: the panic line itself. */
export function panicLine(paths: ReturnType<typeof vmPaths>): string | undefined {
  const text = readLogTail(paths.dir, 65_536) ?? '';
  const line = text.split(/\r?\n/).find((l) => l.includes('Kernel panic - not syncing'));
  return line?.replace(/^\[\s*[\d.]+\]\s*/, '').trim();
}

export function prepareVmDir(stateDir: string, instanceId: string) {
  const paths = vmPaths(stateDir, instanceId);
  mkdirSync(paths.dir, { recursive: true });
  return paths;
}

export const removeVmDir = (stateDir: string, instanceId: string) => rmSync(vmPaths(stateDir, instanceId).dir, { recursive: true, force: true });

export const hasVmDir = (stateDir: string, instanceId: string) => existsSync(vmPaths(stateDir, instanceId).dir);
