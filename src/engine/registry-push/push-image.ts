import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EngineError } from '../errors';
import { type RegistryClient, registryClient, type RegistryTarget } from './registry-client';

const run = promisify(execFile);

export interface PushResult {
  /** `<registry>/<name>`: what a cluster or engine pulls, with `@digest` or `:tag`. */
  repository: string;
  tag: string;
  /** The manifest's digest: the one reference to an image that cannot be moved. */
  digest: string;
  blobs: { digest: string; how: 'present' | 'mounted' | 'uploaded' }[];
}

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * Pushes the bakery's OCI image layout archive (`.oci.tar`) to a registry as `<name>:<tag>`: each
 * blob the registry lacks is mounted from `mountFrom` (the parent image's repository) or uploaded,
 * blobs it has are skipped, then the manifest goes up by tag. Returns the manifest digest, which
 * is the same for every push of the same archive (the bakery's layouts are reproducible).
 */
export async function pushOciArchive(
  archive: string,
  to: RegistryTarget & { name: string; tag: string; mountFrom?: string | undefined },
  options: { say?: (line: string) => void; client?: RegistryClient } = {},
): Promise<PushResult> {
  const say = options.say ?? (() => {});
  const client = options.client ?? registryClient(to);
  const repository = client.repository(to.name);
  const layout = mkdtempSync(join(tmpdir(), 'kiln-push-'));
  try {
    await run('tar', ['-xf', archive, '-C', layout, './index.json', './blobs']).catch((err: Error) => {
      throw new EngineError('bad_request', `image archive is not an OCI image layout: ${err.message.split('\n')[0]}`, 'image');
    });
    const blobPath = (digest: string) => {
      if (!DIGEST.test(digest)) throw new EngineError('bad_request', `image archive names a blob '${digest}' that is not a sha256 digest`, 'image');
      return join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length));
    };
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests?: Descriptor[] };
    const top = index.manifests?.[0];
    if (!top) throw new EngineError('bad_request', 'image archive has no manifest', 'image');
    const manifestBytes = readFileSync(blobPath(top.digest));
    const digest = `sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`;
    if (digest !== top.digest) throw new EngineError('bad_request', `image archive's manifest does not match its digest ${top.digest}`, 'image');
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
    const blobs: PushResult['blobs'] = [];
    for (const blob of [...manifest.layers, manifest.config]) {
      if (await client.hasBlob(repository, blob.digest)) {
        blobs.push({ digest: blob.digest, how: 'present' });
        say(`${blob.digest.slice(0, 19)} already in ${repository}`);
        continue;
      }
      const from = to.mountFrom && to.mountFrom !== to.name ? client.repository(to.mountFrom) : undefined;
      const how = await client.putBlob(repository, blob.digest, blobPath(blob.digest), from);
      blobs.push({ digest: blob.digest, how });
      say(`${blob.digest.slice(0, 19)} ${how === 'mounted' ? `mounted from ${from}` : `uploaded (${blob.size} bytes)`}`);
    }
    const stored = await client.putManifest(repository, to.tag, top.mediaType, manifestBytes, digest);
    say(`pushed ${client.host}/${repository}:${to.tag} as ${stored}`);
    return { repository: `${client.host}/${repository}`, tag: to.tag, digest: stored, blobs };
  } finally {
    rmSync(layout, { recursive: true, force: true });
  }
}
