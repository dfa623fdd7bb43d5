import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { RecipeDraft, StageCopy } from '../../shared/domain/recipe';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { insideRoot } from './image-root';
import { layerTarFlags } from './layer-tar';
import { refuseSymlinkedParents } from './provisioners';
import { runCommand } from './run-command';
import { requireTool } from './tools';

/**
 * The host path of `source` in a stage's root. A stage's scripts can make any symlink, so no
 * directory on the way may be one (it could lead to the host's files, which Kiln copies as root);
 * the last name may be a link: it is copied as a link, not followed.
 */
function stageSource(stageRoot: string, copy: StageCopy, step: string, field: string): string {
  const source = insideRoot(stageRoot, copy.source, step);
  for (let dir = dirname(source); dir.startsWith(stageRoot) && dir !== stageRoot; dir = dirname(dir)) {
    if (existsSync(dir) && lstatSync(dir).isSymbolicLink()) {
      throw new BakeError(
        step,
        `${copy.source} in stage '${copy.from}' goes through the symlink /${relative(stageRoot, dir)}; a copy never follows one out of the stage`,
        `${field}.source`,
      );
    }
  }
  let exists = true;
  try {
    lstatSync(source);
  } catch {
    exists = false;
  }
  if (!exists) throw new BakeError(step, `${copy.source} does not exist in stage '${copy.from}'`, `${field}.source`);
  return source;
}

/** Makes the directories above `target` in `into`, with the owners and modes they have in `like` (the image so far), else root 0755. */
function makeParents(into: string, like: string, destination: string, step: string): void {
  const parts = relative(into, insideRoot(into, destination, step))
    .split('/')
    .slice(0, -1);
  let rel = '';
  for (const part of parts) {
    rel = rel ? `${rel}/${part}` : part;
    const dir = join(into, rel);
    if (existsSync(dir)) continue;
    mkdirSync(dir, { mode: 0o755 });
    const model = join(like, rel);
    if (model !== dir && existsSync(model) && lstatSync(model).isDirectory()) {
      const st = lstatSync(model);
      if (process.getuid?.() === 0) chownSync(dir, st.uid, st.gid);
      chmodSync(dir, st.mode & 0o7777);
    }
  }
}

/**
 * cp writes through a symlink it finds where it copies to (a file's bytes land in the link's
 * target, a directory's entries in the linked directory), and a provisioner may have made such a
 * link anywhere in the root, pointing at the host's files: no name the copy writes may be one.
 */
function refuseLinkedTargets(source: string, target: string, destination: string, step: string, field: string): void {
  const visit = (rel: string) => {
    const at = rel ? join(target, rel) : target;
    let st;
    try {
      st = lstatSync(at);
    } catch {
      return; // nothing there yet: nothing to write through
    }
    if (st.isSymbolicLink()) {
      throw new BakeError(step, `${rel ? `${destination}/${rel}` : destination} is a symlink in the image; a copy never writes through one`, `${field}.destination`);
    }
    const from = rel ? join(source, rel) : source;
    if (st.isDirectory() && lstatSync(from).isDirectory()) for (const name of readdirSync(from)) visit(rel ? `${rel}/${name}` : name);
  };
  visit('');
}

/** Copies one `copy` out of a stage into `root`: `cp -a` (owners, modes, links, xattrs kept), onto what is there. */
export async function copyFromStage(log: BakeLog, step: string, stageRoot: string, copy: StageCopy, root: string, field: string): Promise<{ files: number; bytes: number }> {
  const source = stageSource(stageRoot, copy, step, field);
  const target = insideRoot(root, copy.destination, step);
  refuseSymlinkedParents(root, target, step);
  refuseLinkedTargets(source, target, copy.destination, step, field);
  makeParents(root, root, copy.destination, step);
  await runCommand(log, step, '/usr/bin/env', ['cp', '-a', '-T', '--', source, target]);
  const added = lstatSync(source).isDirectory() ? countTree(source) : { files: 1, bytes: lstatSync(source).isFile() ? lstatSync(source).size : 0 };
  log.say(step, `copied ${copy.source} from stage ${copy.from} to ${copy.destination}: ${filesText(added.files)}, ${sizeText(added.bytes)}`);
  return added;
}

/** Regular files and bytes under `root`, symlinks counted as files, never followed. */
export function countTree(root: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const stack = existsSync(root) ? [root] : [];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const name of readdirSync(dir)) {
      const st = lstatSync(join(dir, name));
      if (st.isDirectory()) stack.push(join(dir, name));
      else {
        files += 1;
        if (st.isFile()) bytes += st.size;
      }
    }
  }
  return { files, bytes };
}

export const filesText = (n: number) => `${n} file${n === 1 ? '' : 's'}`;

export const sizeText = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`);

export interface OciLayer {
  /** An uncompressed layer tar. */
  tar: string;
  /** The history line it gets in the image config (Docker's own words: `COPY --from=build …`). */
  createdBy: string;
}

/**
 * Applies the image's copies from its stages onto `root`, last. For an OCI image each copy is also
 * a layer of its own (Docker's `COPY --from` makes one), over a first layer holding the root as it
 * was before them: the layers stack to exactly `root`. Other builders package the root as before.
 */
export async function applyImageCopies(
  log: BakeLog,
  recipe: Pick<RecipeDraft, 'copy' | 'builder'>,
  stages: Map<string, string>,
  root: string,
  work: string,
): Promise<OciLayer[] | undefined> {
  const copies = recipe.copy ?? [];
  if (copies.length === 0) return undefined;
  const asLayers = recipe.builder === 'oci';
  const tar = requireTool('tar');
  const layers: OciLayer[] = [];
  if (asLayers && readdirSync(root).length > 0) {
    const first = join(work, 'layer-0.tar');
    await runCommand(log, 'copy', tar, [...layerTarFlags(), '-C', root, '-cf', first, '.']);
    layers.push({ tar: first, createdBy: 'kiln bakery: base, artifact, provisioners and provisioning' });
  }
  for (const [j, c] of copies.entries()) {
    const step = `copy ${j + 1} (from ${c.from})`;
    await log.step(step, async () => {
      const stageRoot = stages.get(c.from);
      if (!stageRoot) throw new BakeError(step, `stage '${c.from}' was not built`, `copy.${j}.from`);
      if (asLayers) {
        const dir = join(work, `copy-layer-${j}`);
        mkdirSync(dir);
        makeParents(dir, root, c.destination, step);
        await runCommand(log, step, '/usr/bin/env', ['cp', '-a', '-T', '--', stageSource(stageRoot, c, step, `copy.${j}`), insideRoot(dir, c.destination, step)]);
        const file = join(work, `layer-${layers.length}.tar`);
        await runCommand(log, step, tar, [...layerTarFlags(), '-C', dir, '-cf', file, '.']);
        layers.push({ tar: file, createdBy: `COPY --from=${c.from} ${c.source} ${c.destination}` });
      }
      await copyFromStage(log, step, stageRoot, c, root, `copy.${j}`);
    });
  }
  return asLayers ? layers : undefined;
}
