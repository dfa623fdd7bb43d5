import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecipeDraft } from '../../../shared/domain/recipe';
import { BakeError } from '../bake-error';
import { parseBakeLine, type BakeLog } from '../bake-log';
import { provisionerLabel } from '../provisioners';
import { requireTool } from '../tools';
import { provisionerScript, renderPackerTemplate } from './packer-template';
import { lendRoot, returnRoot } from '../sandboxed-shell';
import type { JobSandbox } from '../../jobs/sandbox';

const PACKER_TIMEOUT_MS = 30 * 60_000;

/**
 * Turns `packer build -machine-readable` lines (timestamp,target,type,data…, the same shape and
 * comma escaping as the bake log) into bake log events. Packer's "Running local shell script:
 * …/provisioner-N.sh" and "Running post-processor: X" lines mark where each step begins, so the
 * log times each recipe provisioner and a failure names the one that failed.
 */
export function createPackerReader(log: BakeLog, labels: string[], now: () => number = Date.now) {
  let step = 'packer';
  let started = now();
  const errors: string[] = [];
  const files: string[] = [];
  // The last things Packer said, for a failure that came without a machine-readable error line.
  const said: string[] = [];
  const remember = (text: string) => {
    said.push(text);
    if (said.length > 4) said.shift();
  };
  const enter = (next: string) => {
    if (next === step) return;
    if (step !== 'packer') log.event(step, 'step', 'end', String(now() - started));
    step = next;
    started = now();
    if (step !== 'packer') log.event(step, 'step', 'start');
  };
  return {
    get step() {
      return step;
    },
    errors,
    said,
    /** Files of the compress post-processor's artifact: the packed image. */
    files,
    line(raw: string) {
      const l = parseBakeLine(raw);
      if (!l) {
        if (raw.trim()) {
          log.event(step, 'output', raw);
          remember(raw.trim());
        }
        return;
      }
      const [kind = '', ...rest] = l.data;
      if (l.type === 'ui') {
        const text = rest
          .join(',')
          .replace(/^\n+/, '')
          .replace(/^(==> |--> |\s+)[\w-]+( \([\w-]+\))?: /, '');
        const script = /Running local shell script: .*\/provisioner-(\d+)\.sh$/.exec(text);
        const post = /^Running post-processor: ([\w-]+)/.exec(text);
        if (script) enter(labels[Number(script[1]) - 1] ?? `provisioner ${script[1]}`);
        else if (post) enter(`packer: post-processor ${post[1]}`);
        else if (/^Build '[^']*' finished/.test(text)) enter('packer');
        // A script's stdout comes as `message`, its stderr as `error`: both are its output, not Kiln errors.
        if (kind === 'error') remember(text.trim());
        if (kind === 'message' || (kind === 'error' && step.startsWith('provisioner'))) log.event(step, 'output', text);
        else log.event(step, 'ui', kind, text);
        return;
      }
      if (l.type === 'error') errors.push(kind);
      if (l.type === 'artifact') {
        log.event('packer', 'artifact', ...l.data);
        if (rest[0] === 'file' && rest[2]) files.push(rest[2]);
        return;
      }
      if (l.type !== 'error-count') log.event('packer', l.type, ...l.data);
    },
    /** Closes the open step as done (`failed` false) or failed. */
    finish(failed: boolean) {
      if (step !== 'packer') log.event(step, 'step', failed ? 'failed' : 'end', String(now() - started));
    },
  };
}

/**
 * The `packer` builder: renders the recipe's Packer JSON template (packer-template.ts) and runs a
 * real `packer build -machine-readable`, its lines streamed into the bake log as they come. The
 * artifact is the file Packer's compress post-processor reports: a gzipped root tarball, which
 * the registry stores as a bundle the local cloud can run.
 */
export async function buildWithPacker(log: BakeLog, recipe: RecipeDraft, root: string, work: string, sandbox: JobSandbox, signal?: AbortSignal) {
  const packer = requireTool('packer');
  const dir = join(work, 'packer');
  mkdirSync(dir, { recursive: true });
  const scripts = recipe.provisioners.map((p, i) => {
    const file = join(dir, `provisioner-${i + 1}.sh`);
    writeFileSync(file, provisionerScript(p), { mode: 0o755 });
    return file;
  });
  const output = join(work, 'image.tar.gz');
  // The recipe's own shell steps run in the job sandbox, the image root their only writable place;
  // Kiln's generated steps (file copies, apt in a chroot) and the packing stay Packer's, as root.
  const shells = recipe.provisioners.some((p) => p.type === 'shell') && sandbox.mode === 'on';
  if (shells) {
    const why = sandbox.unavailable();
    if (why) throw new BakeError('packer', why);
  }
  const shellCommand = (script: string) => {
    const sandboxed = sandbox.wrap(['/bin/sh', '-e', script], { cwd: root, writable: [root], readOnly: [script], endWithParent: true });
    return [sandboxed.file, ...sandboxed.args];
  };
  const template = renderPackerTemplate({ recipe, root, work, scripts, tar: requireTool('tar'), rootTar: join(work, 'root.tar'), output, ...(shells ? { shellCommand } : {}) });
  const templateFile = join(dir, 'template.json');
  writeFileSync(templateFile, `${JSON.stringify(template, null, 2)}\n`);
  log.say('packer', `rendered ${templateFile}: null builder, ${scripts.length} shell-local provisioner(s), post-processors shell-local (tar) → artifice → compress (gzip)`);
  if (recipe.output.compression !== 'gzip') log.say('packer', "Packer's compress post-processor has no zstd: the image is gzip-compressed");

  const reader = createPackerReader(
    log,
    recipe.provisioners.map((p, i) => provisionerLabel(p, i)),
  );
  // Packer talks to its plugins over unix sockets in TMPDIR, and a socket path must stay under 108
  // bytes: a bake's work dir inside a data dir is too deep, so its temp dir is a short one.
  const temp = mkdtempSync(join(tmpdir().length <= 40 ? tmpdir() : '/tmp', 'kiln-packer-'));
  const account = shells ? sandbox.account() : undefined;
  const owners = account ? lendRoot(root, account) : undefined;
  try {
    await runPacker(log, reader, packer, templateFile, { cwd: dir, temp, signal });
  } finally {
    rmSync(temp, { recursive: true, force: true });
    if (owners) returnRoot(root, owners);
  }
  const packed = reader.files.at(-1);
  if (!packed || !existsSync(packed)) throw new BakeError('packer: build', `packer reported no artifact file (expected ${output})`);
  return { packed, suffix: '.tar.gz' };
}

type PackerReader = ReturnType<typeof createPackerReader>;

/** `packer build -machine-readable`, each stdout line through the reader as it comes. */
function runPacker(
  log: BakeLog,
  reader: PackerReader,
  packer: string,
  templateFile: string,
  options: { cwd: string; temp: string; signal?: AbortSignal | undefined },
): Promise<void> {
  const { cwd: dir, temp, signal } = options;
  return log.step(
    'packer: build',
    () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(packer, ['build', '-machine-readable', '-color=false', templateFile], {
          cwd: dir,
          // No update check (no network); Packer's cache in the bake's work dir, its sockets and temp scripts in the short temp dir.
          env: {
            PATH: `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`,
            LANG: 'C.UTF-8',
            HOME: dir,
            TMPDIR: temp,
            CHECKPOINT_DISABLE: '1',
            PACKER_CACHE_DIR: join(dir, 'cache'),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
          ...(signal ? { signal } : {}),
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), PACKER_TIMEOUT_MS);
        let pending = '';
        child.stdout.on('data', (chunk: Buffer) => {
          const lines = (pending + chunk.toString('utf8')).split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) reader.line(line);
        });
        child.stderr.on('data', (chunk: Buffer) => {
          for (const line of chunk.toString('utf8').split('\n')) {
            if (!line.trim()) continue;
            log.event(reader.step, 'output', line);
            reader.said.push(line.trim());
          }
        });
        child.on('error', (err) => {
          clearTimeout(timer);
          reject(new BakeError('packer: build', `could not run ${packer}: ${err.message}`));
        });
        child.on('close', (exit, killed) => {
          clearTimeout(timer);
          if (pending) reader.line(pending);
          reader.finish(exit !== 0);
          if (exit === 0) return resolve();
          // The step that was running names the failure: "provisioner 2 (shell: compile)".
          const step = reader.step === 'packer' ? 'packer: build' : reader.step;
          const how = exit === null ? `packer was killed by ${killed ?? 'a signal'}` : `packer exited with code ${exit}`;
          const why = reader.errors.length ? reader.errors.join(' | ') : reader.said.length ? `${how}: ${reader.said.slice(-4).join(' | ')}` : how;
          reject(new BakeError(step, `packer build failed: ${why}`));
        });
      }),
  );
}
