import { existsSync } from 'node:fs';
import type { ImageRef, RunResources } from '../../../shared/domain/image';
import type { Repositories } from '../../../db/types';
import { artifactPath, type BakeryPaths } from '../../bakery/store';

/** An image the container provider can run: where its OCI archive is, and its tag in the engine. */
export interface ContainerImage {
  ref: ImageRef;
  /** Loaded into the engine under this tag when the engine lacks it. */
  tag: string;
  /** The bakery's OCI image-layout archive; absent for an image only the engine has. */
  archive?: string | undefined;
  /** The recipe's `run.healthPath`: where the app itself answers ready (every provider probes it); absent when the image does not say. */
  healthPath?: string | undefined;
  /** The recipe's `run.resources`: a container's NanoCpus/Memory, a pod's requests and limits. */
  resources?: RunResources | undefined;
  /** The recipe's `run.user` (the image config's User); absent when the image does not say (root, or baked before it was kept). */
  user?: string | undefined;
}

/** Where the container provider finds images; undefined for an image it does not know. */
export interface ContainerImageSource {
  resolve(ref: string): Promise<ContainerImage | undefined>;
}

/** Kiln's tag for an image in an engine, so it never shadows an image someone else loaded there. */
export const engineTag = (ref: ImageRef) => `kiln/${ref.name}:${ref.version}`;

/**
 * The bakery's registry: every `oci` image, by `name:vN` or `name@channel`. Bundles and disks are
 * not container images (a bundle would need a base with its runtime; not imported yet).
 */
export function registryContainerImages(deps: { repos: Pick<Repositories, 'images'>; paths: BakeryPaths }): ContainerImageSource {
  return {
    async resolve(ref) {
      const image = await deps.repos.images.resolve(ref);
      if (!image || image.format !== 'oci') return undefined;
      const archive = artifactPath(deps.paths, image.artifact);
      const imageRef = { name: image.name, version: image.version, digest: image.digest };
      return {
        ref: imageRef,
        tag: engineTag(imageRef),
        archive: existsSync(archive) ? archive : undefined,
        healthPath: image.run?.healthPath,
        user: image.run?.user,
        resources: image.run?.resources,
      };
    },
  };
}

/** Fixed archives by image name, any version (tests and benchmarks build one and run it as every version). */
export function archiveImages(byName: Record<string, string>): ContainerImageSource {
  return {
    async resolve(ref) {
      const at = ref.lastIndexOf(':');
      const name = at > 0 ? ref.slice(0, at) : ref;
      const version = at > 0 ? ref.slice(at + 1) : '';
      const archive = byName[name];
      if (!archive || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(version)) return undefined;
      return { ref: { name, version }, tag: engineTag({ name, version }), archive };
    },
  };
}

/** Tries each source in turn. */
export function anyOf(...sources: ContainerImageSource[]): ContainerImageSource {
  return {
    async resolve(ref) {
      for (const s of sources) {
        const found = await s.resolve(ref);
        if (found) return found;
      }
      return undefined;
    },
  };
}
