import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface Descriptor {
  digest: string;
  mediaType?: string;
}

const blob = (d: Descriptor) => {
  const [algorithm, hex] = d.digest.split(':');
  if (!algorithm || !hex || !/^[a-z0-9]+$/.test(algorithm) || !/^[a-f0-9]+$/.test(hex)) throw new Error(`the OCI archive names a malformed digest '${d.digest}'`);
  return `blobs/${algorithm}/${hex}`;
};

/**
 * The bakery's OCI image-layout archive as Docker's own archive format, which Docker Engine 20.10
 * needs (it loads an OCI layout only from 25.0 on): the same blobs plus the `manifest.json` that
 * `docker load` reads — config and layers by path, and the tag. Docker decompresses the gzip
 * layers itself and checks them against the config's diff ids, so nothing is re-packed.
 * Returns a tar stream and a function that removes the unpacked copy once the engine has it.
 */
export async function dockerArchiveOf(ociArchive: string, tag: string): Promise<{ stream: Readable; done: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-docker-archive-'));
  try {
    await run('tar', ['-xf', ociArchive, '-C', dir, '--no-same-owner']);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests?: Descriptor[] };
    const first = index.manifests?.[0];
    if (!first) throw new Error('the OCI archive has no manifest in its index.json');
    const manifest = JSON.parse(await readFile(join(dir, blob(first)), 'utf8')) as { config?: Descriptor; layers?: Descriptor[] };
    if (!manifest.config) throw new Error('the OCI manifest names no config (an image index of several platforms is not supported)');
    const entry = { Config: blob(manifest.config), RepoTags: [tag], Layers: (manifest.layers ?? []).map(blob) };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify([entry]));
    const tar = spawn('tar', ['-cf', '-', '-C', dir, '.'], { stdio: ['ignore', 'pipe', 'ignore'] });
    return { stream: tar.stdout, done: () => rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
