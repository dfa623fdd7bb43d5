import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BakeLog } from '../bake-log';
import { compress } from '../compress';
import { runCommand } from '../run-command';
import { sha256File } from '../store';
import { layerTarFlags, sourceDateEpoch } from '../layer-tar';
import { requireTool } from '../tools';

const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

// The layout's own packing: its files are Kiln's, so owner root is right here.
const TAR_FLAGS = [
  '--sort=name',
  '--mtime=@0',
  '--owner=0',
  '--group=0',
  '--numeric-owner',
  '--format=posix',
  '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
];

/**
 * An OCI image layout (image-spec 1.0: `oci-layout`, `index.json`, `blobs/sha256/…`) with the root
 * as one gzip layer, written directly — the format is a few JSON documents and a tarball, so no
 * umoci or skopeo is needed. The config's entrypoint runs the recipe's `run.entrypoint` with node.
 * The layout is packed as one reproducible tar, the artifact the registry stores. `user` (the recipe's
 * `run.user`) becomes the config's User, so an engine never runs the app as root unless asked to.
 */
export async function buildOci(log: BakeLog, root: string, work: string, options: { tag: string; entrypoint?: string | undefined; user?: string | undefined }) {
  const layout = join(work, 'oci');
  const blobs = join(layout, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const layerTar = join(work, 'layer.tar');
  await log.step('oci: layer', async () => {
    await runCommand(log, 'oci: layer', requireTool('tar'), [...layerTarFlags(), '-C', root, '-cf', layerTar, '.']);
  });
  const diffId = `sha256:${await sha256File(layerTar)}`;
  const layerGz = join(work, 'layer.tar.gz');
  await compress(log, 'oci: layer', 'gzip', layerTar, layerGz);
  const layerDigest = await sha256File(layerGz);
  const layerSize = statSync(layerGz).size;
  renameSync(layerGz, join(blobs, layerDigest));

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
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, created_by: 'kiln bakery (oci builder)' }],
  });
  const manifest = blob({
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config: { mediaType: MEDIA.config, ...config },
    layers: [{ mediaType: MEDIA.layer, digest: `sha256:${layerDigest}`, size: layerSize }],
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
  log.say('oci', `manifest ${manifest.digest}, layer sha256:${layerDigest} (${layerSize} bytes)`);
  const packed = join(work, 'image.oci.tar');
  await log.step('oci: pack layout', () => runCommand(log, 'oci: pack layout', requireTool('tar'), [...TAR_FLAGS, '-C', layout, '-cf', packed, '.']));
  return { packed, suffix: '.oci.tar' };
}
