import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageRef, RunResources } from '../../shared/domain/image';
import { EngineError } from '../errors';

/** What the local cloud runs for an image: a program started with this node binary. */
export interface LocalImage {
  ref: ImageRef;
  /** An ES module run as `node <entrypoint>` with the instance's env. */
  entrypoint: string;
  /** The recipe's `run.healthPath`; absent: the balancer's path, else /health (health-path.ts). */
  healthPath?: string | undefined;
  /** The recipe's `run.resources`: not enforced here (an instance is a plain process), said in its log. */
  resources?: RunResources | undefined;
}

/**
 * Where images come from. The image bakery will provide one backed by its registry; until then
 * the built-in catalogue below holds the sample app.
 */
export interface ImageCatalog {
  /** `name:version`; throws a bad_request EngineError naming the field for an unknown image. */
  resolve(ref: string, field?: string): LocalImage;
  /** Image names and, per name, how versions are accepted (for messages and the findImage stage). */
  names(): string[];
}

const SAMPLE_APP = join(import.meta.dirname, 'images', 'sample-app.mjs');
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The built-in sample app in every version (it answers with the version it was started as), and
 * `sample-app-faulty`: the same app failing every request under /checkout, for canary tests.
 */
export const builtInImages: ImageCatalog = {
  resolve(ref, field = 'image') {
    const at = ref.lastIndexOf(':');
    const name = at > 0 ? ref.slice(0, at) : ref;
    const version = at > 0 ? ref.slice(at + 1) : '';
    if (!this.names().includes(name)) {
      throw new EngineError('bad_request', `image '${ref}' is not in the local image registry (known images: ${this.names().join(', ')})`, field);
    }
    if (!VERSION.test(version)) {
      throw new EngineError('bad_request', `image '${ref}' needs a version after ':' (letters, digits, '.', '_', '-'), e.g. '${name}:v2'`, field);
    }
    if (!existsSync(SAMPLE_APP)) throw new Error(`the sample app image is missing from this Kiln install (${SAMPLE_APP})`);
    return { ref: { name, version }, entrypoint: SAMPLE_APP };
  },
  names: () => ['sample-app', 'sample-app-faulty'],
};
