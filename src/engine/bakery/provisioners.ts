import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Provisioner, RecipeDraft } from '../../shared/domain/recipe';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { insideRoot } from './image-root';
import { runCommand } from './run-command';
import { runShellStep } from './sandboxed-shell';
import type { JobSandbox } from '../jobs/sandbox';
import { aptInstallScript, PACKAGES_FILE } from './debian-packages';

/** How the log and errors name a provisioner: `provisioner 2 (shell: compile)`. */
export function provisionerLabel(p: Provisioner, index: number): string {
  const what = p.type === 'shell' ? `shell${p.name ? `: ${p.name}` : ''}` : p.type === 'file' ? `file ${p.destination}` : 'packages';
  return `provisioner ${index + 1} (${what})`;
}

const lstatExists = (path: string) => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/** A parent directory that is a symlink would let a copy land outside the root. */
export function refuseSymlinkedParents(root: string, target: string, step: string): void {
  for (let dir = dirname(target); dir.startsWith(root) && dir !== root; dir = dirname(dir)) {
    if (existsSync(dir) && lstatSync(dir).isSymbolicLink()) throw new BakeError(step, `${dir.slice(root.length)} is a symlink; refusing to write through it`);
  }
}

/**
 * Runs the recipe's provisioners in order against the image root. A failing one stops the bake
 * with a BakeError whose step names it ("provisioner 2 (shell: install app)").
 */
export async function runProvisioners(
  log: BakeLog,
  recipe: Pick<RecipeDraft, 'provisioners'>,
  root: string,
  sandbox: JobSandbox,
  signal?: AbortSignal,
  /** Names a build stage's steps: `stage build: provisioner 1 (shell: compile)`. */
  prefix = '',
): Promise<string[]> {
  const packages: string[] = [];
  for (const [index, p] of recipe.provisioners.entries()) {
    const step = `${prefix}${provisionerLabel(p, index)}`;
    await log.step(step, async () => {
      switch (p.type) {
        case 'file': {
          if (!existsSync(p.source)) throw new BakeError(step, `source ${p.source} does not exist`);
          const target = insideRoot(root, p.destination, step);
          refuseSymlinkedParents(root, target, step);
          mkdirSync(dirname(target), { recursive: true });
          cpSync(p.source, target, { recursive: true, verbatimSymlinks: true });
          if (p.mode !== undefined) chmodSync(target, p.mode);
          log.say(step, `copied ${p.source} to ${p.destination}`);
          return;
        }
        case 'shell':
          // -e: the first failing command fails the provisioner, as in Packer's shell provisioner.
          // A user's script, so it runs in the job sandbox; the packages step below stays root (apt in a chroot).
          await runShellStep(log, step, p.script, root, sandbox, signal);
          return;
        case 'packages':
          // apt-get in a chroot of the image root (debian-packages.ts); a root that is not Debian fails.
          packages.push(...p.packages);
          await runCommand(log, step, '/bin/sh', ['-e', '-c', aptInstallScript(p.packages)], { cwd: root, env: { IMAGE_ROOT: root }, signal, timeoutMs: 30 * 60_000 });
          log.say(step, `installed ${p.packages.join(' ')} with apt-get (listed in ${PACKAGES_FILE})`);
          return;
      }
    });
  }
  return [...new Set(packages)].sort();
}

/** Every package the recipe's packages provisioners name, sorted and without repeats. */
export function recipePackages(recipe: Pick<RecipeDraft, 'provisioners'>): string[] {
  return [...new Set(recipe.provisioners.flatMap((p) => (p.type === 'packages' ? p.packages : [])))].sort();
}

/** Installs the application artifact (a file, a directory, or an http(s) download). */
export async function installArtifact(log: BakeLog, recipe: Pick<RecipeDraft, 'artifact'>, root: string, prefix = ''): Promise<void> {
  const artifact = recipe.artifact;
  if (!artifact) return;
  const step = `${prefix}artifact`;
  await log.step(step, async () => {
    const target = insideRoot(root, artifact.destination, step);
    refuseSymlinkedParents(root, target, step);
    // writeFile follows a link: a base or parent image could aim one at a host file for Kiln to overwrite.
    if (lstatExists(target) && lstatSync(target).isSymbolicLink()) {
      throw new BakeError(step, `${artifact.destination} is a symlink in the image; the artifact is never written through one`, 'artifact.destination');
    }
    mkdirSync(dirname(target), { recursive: true });
    if (/^https?:\/\//.test(artifact.source)) {
      const res = await fetch(artifact.source, { signal: AbortSignal.timeout(120_000) }).catch((err: unknown) => {
        throw new BakeError(step, `could not download ${artifact.source}: ${(err as Error).message}`, 'artifact.source');
      });
      if (!res.ok) throw new BakeError(step, `downloading ${artifact.source} answered HTTP ${res.status}`, 'artifact.source');
      writeFileSync(target, Buffer.from(await res.arrayBuffer()));
    } else {
      if (!existsSync(artifact.source)) throw new BakeError(step, `artifact ${artifact.source} does not exist`, 'artifact.source');
      cpSync(artifact.source, target, { recursive: true, verbatimSymlinks: true });
    }
    log.event(step, 'artifact', 'installed', artifact.source, artifact.destination);
  });
}
