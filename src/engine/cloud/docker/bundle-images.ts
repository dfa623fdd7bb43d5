import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Repositories } from '../../../db/types';
import { createBakeLog } from '../../bakery/bake-log';
import { buildOci } from '../../bakery/builders/oci';
import { artifactPath, type BakeryPaths } from '../../bakery/store';
import { engineTag, type ContainerImageSource } from './container-images';
import { putNodeRuntime } from './node-runtime';

/**
 * The bakery's bundles as container images. A bundle holds the app, not its runtime: the local
 * cloud lends it this machine's node. Here the same runtime (node and the libraries it links) is
 * put beside the bundle's root and written as an OCI archive by the bakery's own oci builder, whose
 * entrypoint runs `node <run.entrypoint>` like the local cloud does; the engine loads it like a baked
 * `oci` image. Built once per bundle digest and node build, cached under `cacheDir`. The binary is
 * this host's, so the engine must be on this machine's architecture (a local Podman or Docker is).
 */
export function bundleContainerImages(deps: { repos: Pick<Repositories, 'images'>; paths: BakeryPaths; cacheDir: string }): ContainerImageSource {
  const building = new Map<string, Promise<void>>();

  async function build(artifact: string, archive: string, entrypoint: string): Promise<void> {
    const work = `${archive}.${process.pid}.work`;
    rmSync(work, { recursive: true, force: true });
    const root = join(work, 'root');
    mkdirSync(root, { recursive: true });
    try {
      execFileSync('tar', ['-xf', artifact, '-C', root, '--no-same-owner'], { stdio: 'ignore' });
      putNodeRuntime(root);
      const out = await buildOci(
        createBakeLog(() => {}),
        root,
        work,
        { tag: 'kiln-bundle', entrypoint },
      );
      renameSync(out.packed, archive);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  return {
    async resolve(ref) {
      const image = await deps.repos.images.resolve(ref);
      if (!image || image.format !== 'bundle' || !image.run) return undefined;
      const artifact = artifactPath(deps.paths, image.artifact);
      if (!existsSync(artifact)) return undefined;
      const key = createHash('sha256').update(`${image.digest}:${process.execPath}:${process.version}:${image.run.entrypoint}`).digest('hex').slice(0, 24);
      const archive = join(deps.cacheDir, `${key}.oci.tar`);
      if (!existsSync(archive)) {
        mkdirSync(deps.cacheDir, { recursive: true });
        let pending = building.get(archive);
        if (!pending) {
          pending = build(artifact, archive, image.run.entrypoint).finally(() => building.delete(archive));
          building.set(archive, pending);
        }
        await pending;
      }
      const imageRef = { name: image.name, version: image.version, digest: image.digest };
      return { ref: imageRef, tag: engineTag(imageRef), archive, healthPath: image.run.healthPath, resources: image.run.resources };
    },
  };
}
