import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { extractFlags } from './layer-tar';
import { runCommand } from './run-command';
import { requireTool } from './tools';

const STEP = 'base: unpack parent';
const run = promisify(execFile);

interface Descriptor {
  digest: string;
  mediaType?: string;
}

/**
 * Unpacks an OCI image (Kiln's packed layout) into `root` as a container runtime would: the
 * manifest's layers in order, each layer's whiteouts (`.wh.name`, and `.wh..wh..opq` for a
 * directory made opaque) removing what the layers below left, owners and modes kept.
 */
export async function unpackOci(log: BakeLog, archive: string, root: string, work: string): Promise<{ layers: number }> {
  const tar = requireTool('tar');
  const layout = join(work, 'parent-oci');
  mkdirSync(layout, { recursive: true });
  await runCommand(log, STEP, tar, ['-xf', archive, '-C', layout]);
  const blob = (d: Descriptor) => {
    if (!/^sha256:[a-f0-9]{64}$/.test(d.digest)) throw new BakeError(STEP, `the parent OCI image names a blob '${d.digest}' that is not a sha256 digest`);
    return join(layout, 'blobs', 'sha256', d.digest.slice('sha256:'.length));
  };
  const json = <T>(file: string): T => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as T;
    } catch (err) {
      throw new BakeError(STEP, `the parent OCI image is not a readable layout (${file.slice(layout.length + 1)}: ${(err as Error).message})`);
    }
  };
  const index = json<{ manifests?: Descriptor[] }>(join(layout, 'index.json'));
  const first = index.manifests?.[0];
  if (!first) throw new BakeError(STEP, 'the parent OCI image has no manifest in its index.json');
  const manifest = json<{ layers?: Descriptor[] }>(blob(first));
  const layers = manifest.layers ?? [];
  for (const layer of layers) {
    const file = blob(layer);
    // Listed quietly: a base layer has thousands of names, which do not belong in the bake log.
    const names = (await run(tar, ['-tf', file], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' })).stdout.split('\n').filter(Boolean);
    applyWhiteouts(root, names);
    await runCommand(log, STEP, tar, ['-xf', file, '-C', root, ...extractFlags(), '--exclude=.wh.*', '--exclude=*/.wh.*']);
  }
  rmSync(layout, { recursive: true, force: true });
  log.say(STEP, `unpacked ${layers.length} layer${layers.length === 1 ? '' : 's'} of the parent OCI image`);
  return { layers: layers.length };
}

/** Applies one layer's whiteouts to the root built from the layers below it. */
function applyWhiteouts(root: string, names: string[]): void {
  for (const raw of names) {
    const name = normalize(raw.replace(/^\.?\/+/, ''));
    if (name.startsWith('..')) continue; // tar itself refuses such members; nothing to remove outside the root
    const slash = name.lastIndexOf('/');
    const dir = slash >= 0 ? name.slice(0, slash) : '';
    const base = name.slice(slash + 1);
    if (base === '.wh..wh..opq') {
      const target = join(root, dir);
      try {
        for (const entry of readdirSync(target)) rmSync(join(target, entry), { recursive: true, force: true });
      } catch {
        // the directory is new in this layer: nothing below to hide
      }
    } else if (base.startsWith('.wh.')) {
      rmSync(join(root, dir, base.slice('.wh.'.length)), { recursive: true, force: true });
    }
  }
}
