import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageVersion } from '../../shared/domain/image';
import type { Repositories } from '../../db/types';
import { builtInImages, type ImageCatalog, type LocalImage } from '../cloud/images';
import { EngineError } from '../errors';
import { insideRoot } from './image-root';
import { onImagesChanged } from './registry-events';
import { artifactPath, type BakeryPaths } from './store';

export interface RegistryCatalog extends ImageCatalog {
  /** Reads the registry into the cache; call once before the local cloud starts. */
  load(): Promise<void>;
  /** Stops the periodic refresh and the change listener. */
  close(): void;
}

/**
 * The local cloud's image catalogue backed by the registry: the built-in images plus every baked
 * bundle with a run section. `resolve` is synchronous (the cloud's interface), so it reads an
 * in-memory copy loaded at start, reloaded at once after a bake or revocation in this process and
 * every `refreshMs` for bakes of other Kiln processes sharing the database.
 * Revoked images still resolve: running groups must keep (re)starting; refusing a new deploy of one
 * is the deploy guard's job (deploy-guard.ts), where an override can be given.
 */
export function createRegistryCatalog(deps: {
  repos: Pick<Repositories, 'images'>;
  paths: BakeryPaths;
  builtIn?: ImageCatalog;
  refreshMs?: number;
  onError?: (err: unknown) => void;
}): RegistryCatalog {
  const builtIn = deps.builtIn ?? builtInImages;
  let images: ImageVersion[] = [];
  const load = async () => {
    images = await deps.repos.images.all();
  };
  const reload = () => void load().catch((err: unknown) => deps.onError?.(err));
  const unsubscribe = onImagesChanged(reload);
  const timer = setInterval(reload, deps.refreshMs ?? 5000);
  timer.unref();

  const find = (name: string, selector: string): ImageVersion | undefined => {
    if (selector.startsWith('@')) return images.find((i) => i.name === name && i.channels.includes(selector.slice(1)));
    return images.find((i) => i.name === name && i.version === selector.slice(1));
  };

  /** The unpacked root of a bundle; unpacked again from its artifact when missing (a copied data dir). */
  const rootOf = (image: ImageVersion): string => {
    const root = join(deps.paths.roots, image.digest.slice('sha256:'.length));
    if (existsSync(root)) return root;
    const artifact = artifactPath(deps.paths, image.artifact);
    if (!existsSync(artifact)) throw new Error(`the artifact of ${image.name}:${image.version} is missing (${artifact})`);
    const partial = `${root}.unpacking-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    execFileSync('tar', ['-xf', artifact, '-C', partial, '--no-same-owner'], { stdio: 'ignore' });
    renameSync(partial, root);
    return root;
  };

  return {
    load,
    close() {
      clearInterval(timer);
      unsubscribe();
    },
    names: () => [...new Set([...builtIn.names(), ...images.map((i) => i.name)])],
    resolve(ref, field = 'image'): LocalImage {
      const split = /^([a-z0-9][a-z0-9._-]*)([:@].*)?$/.exec(ref);
      const name = split?.[1] ?? ref;
      if (builtIn.names().includes(name)) return builtIn.resolve(ref, field);
      const known = images.filter((i) => i.name === name);
      if (known.length === 0) {
        throw new EngineError('bad_request', `image '${ref}' is not in the local image registry (known images: ${this.names().join(', ')})`, field);
      }
      const image = split?.[2] ? find(name, split[2]) : undefined;
      if (!image) {
        throw new EngineError('bad_request', `image '${ref}' names no version of '${name}': use 'name:vN' (${known.map((i) => i.version).join(', ')}) or 'name@channel'`, field);
      }
      if (image.format !== 'bundle' || !image.run) {
        throw new EngineError(
          'bad_request',
          `image ${image.name}:${image.version} is a ${image.format} image${image.run ? '' : ' without a run section'}; the local cloud runs bundles with an entrypoint`,
          field,
        );
      }
      const entrypoint = insideRoot(rootOf(image), image.run.entrypoint, 'resolve');
      return { ref: { name: image.name, version: image.version, digest: image.digest }, entrypoint, healthPath: image.run.healthPath, resources: image.run.resources };
    },
  };
}
