import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BakeLog } from '../bake-log';
import { compress } from '../compress';
import { runCommand } from '../run-command';
import { sha256File } from '../store';
import { layerTarFlags, OWN_FILES_TAR_FLAGS, sourceDateEpoch } from '../layer-tar';
import { requireTool } from '../tools';
import type { ImageLayer } from '../../../shared/domain/image';
import type { OciLayer } from '../stage-copy';

const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

/**
 * An OCI image layout (image-spec 1.0: `oci-layout`, `index.json`, `blobs/sha256/…`) with the root
 * as one gzip layer, or the given layers in order (a multi-stage image: see stage-copy.ts), written
 * directly — the format is a few JSON documents and tarballs, so no umoci or skopeo is needed. The
 * config's entrypoint runs the recipe's `run.entrypoint` with node. The layout is packed as one
 * reproducible tar, the artifact the registry stores. `user` (the recipe's `run.user`) becomes the
 * config's User, so an engine never runs the app as root unless asked to.
 */
export async function buildOci(
  log: BakeLog,
  root: string,
  work: string,
  options: { tag: string; entrypoint?: string | undefined; user?: string | undefined; layers?: OciLayer[] | undefined },
): Promise<{ packed: string; suffix: string; layers: ImageLayer[] }> {
  const layout = join(work, 'oci');
  const blobs = join(layout, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  let inputs = options.layers;
  if (!inputs) {
    const layerTar = join(work, 'layer.tar');
    await log.step('oci: layer', async () => {
      await runCommand(log, 'oci: layer', requireTool('tar'), [...layerTarFlags(), '-C', root, '-cf', layerTar, '.']);
    });
    inputs = [{ tar: layerTar, createdBy: 'kiln bakery (oci builder)' }];
  }
  const diffIds: string[] = [];
  const layers: ImageLayer[] = [];
  for (const [i, input] of inputs.entries()) {
    diffIds.push(`sha256:${await sha256File(input.tar)}`);
    const layerGz = join(work, `layer-${i}.tar.gz`);
    await compress(log, 'oci: layer', 'gzip', input.tar, layerGz);
    const digest = await sha256File(layerGz);
    const sizeBytes = statSync(layerGz).size;
    renameSync(layerGz, join(blobs, digest));
    layers.push({ digest: `sha256:${digest}`, sizeBytes, createdBy: input.createdBy });
    if (inputs.length > 1) log.say('oci', `layer ${i + 1}: ${input.createdBy} (${sizeBytes} bytes compressed)`);
  }

  const blob = (value: unknown) => {
    const bytes = Buffer.from(JSON.stringify(value));
    const digest = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(blobs, digest), bytes);
    return { digest: `sha256:${digest}`, size: bytes.length };
  };
  // Tools such as umoci require it; from SOURCE_DATE_EPOCH so the same inputs give the same digest.
  const created = new Date(sourceDateEpoch() * 1000).toISOString();
  const config = blob({
    created,
    architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
    os: 'linux',
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ...(options.entrypoint ? { Entrypoint: ['node', `/${options.entrypoint.replace(/^\/+/, '')}`] } : {}),
      WorkingDir: '/',
      ...(options.user ? { User: options.user } : {}),
    },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: layers.map((l) => ({ created, created_by: l.createdBy })),
  });
  const manifest = blob({
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config: { mediaType: MEDIA.config, ...config },
    layers: layers.map((l) => ({ mediaType: MEDIA.layer, digest: l.digest, size: l.sizeBytes })),
  });
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.index,
      manifests: [{ mediaType: MEDIA.manifest, ...manifest, annotations: { 'org.opencontainers.image.ref.name': options.tag } }],
    }),
  );
  log.say('oci', `manifest ${manifest.digest}, ${layers.map((l) => `layer ${l.digest} (${l.sizeBytes} bytes)`).join(', ')}`);
  const packed = join(work, 'image.oci.tar');
  await log.step('oci: pack layout', () => runCommand(log, 'oci: pack layout', requireTool('tar'), [...OWN_FILES_TAR_FLAGS, '-C', layout, '-cf', packed, '.']));
  return { packed, suffix: '.oci.tar', layers };
}
