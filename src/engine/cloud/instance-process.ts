import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { LocalImage } from './images';

export interface LaunchSpec {
  instanceId: string;
  image: LocalImage;
  port: number;
  metadataUrl: string;
  /** The instance's own directory: its working directory and the home of its log file. */
  workDir: string;
  /** A line from Kiln written to the instance's log before it starts (what Kiln could not do as the image asked). */
  notice?: string | undefined;
}

export const LOG_FILE = 'instance.log';

/**
 * Starts one instance as a child process in its own process group (so terminate() reaches
 * anything it starts), with stdout and stderr appended to its log file. The environment is built
 * from scratch: an instance sees nothing of Kiln's own environment (database URLs, tokens).
 */
export function launchInstance(spec: LaunchSpec): ChildProcess {
  mkdirSync(spec.workDir, { recursive: true });
  const log = openSync(join(spec.workDir, LOG_FILE), 'a');
  if (spec.notice) writeSync(log, `kiln: ${spec.notice}\n`);
  try {
    return spawn(process.execPath, [spec.image.entrypoint], {
      cwd: spec.workDir,
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: spec.workDir,
        PORT: String(spec.port),
        HOST: '127.0.0.1',
        KILN_INSTANCE_ID: spec.instanceId,
        KILN_METADATA_URL: spec.metadataUrl,
        KILN_IMAGE_NAME: spec.image.ref.name,
        KILN_IMAGE_VERSION: spec.image.ref.version,
      },
    });
  } finally {
    closeSync(log); // the child holds its own copy
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM to the instance's process group, SIGKILL after the grace period; resolves once it is gone. */
export async function terminate(pid: number, graceMs = 5000): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(pid)) signalGroup(pid, 'SIGKILL');
  // SIGKILL of the group leader leaves a zombie until its parent reaps it; poll briefly either way.
  const hard = Date.now() + 2000;
  while (isAlive(pid) && Date.now() < hard) await new Promise((r) => setTimeout(r, 25));
}

export interface ProbeResult {
  ok: boolean;
  detail: string;
  /** The instance id the health endpoint answered with, when it did. */
  instanceId?: string;
}

/** One HTTP health check: GET path on the instance's port within the timeout. */
export function probe(port: number, path: string, timeoutMs: number): Promise<ProbeResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body = (body + c).slice(0, 4096)));
      res.on('end', () => {
        const ms = Date.now() - started;
        let instanceId: string | undefined;
        try {
          instanceId = (JSON.parse(body) as { instanceId?: string }).instanceId;
        } catch {
          // a health endpoint need not answer JSON
        }
        const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
        resolve({ ok, detail: `HTTP ${res.statusCode} from ${path} in ${ms} ms`, ...(instanceId ? { instanceId } : {}) });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) =>
      resolve({ ok: false, detail: err.code === 'ECONNREFUSED' ? `connection refused on 127.0.0.1:${port}` : `${path}: ${err.message}` }),
    );
    req.end();
  });
}

/** The last `maxBytes` of an instance's log file; undefined when it has none. */
export function readLogTail(workDir: string, maxBytes: number): string | undefined {
  const file = join(workDir, LOG_FILE);
  if (!existsSync(file)) return undefined;
  const size = statSync(file).size;
  const length = Math.min(size, maxBytes);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}
