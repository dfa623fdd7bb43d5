import { isAbsolute, join, relative, resolve } from 'node:path';
import { BakeError } from './bake-error';

/**
 * The host path of an image path inside `root`. Schemas already refuse `..`; this is the second
 * lock (symlinks made by a shell provisioner can still point anywhere, so copies never follow them
 * to write: see provisioners.ts).
 */
export function insideRoot(root: string, imagePath: string, step: string): string {
  const target = resolve(root, `.${imagePath.startsWith('/') ? '' : '/'}${imagePath}`);
  const rel = relative(root, target);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new BakeError(step, `path '${imagePath}' leaves the image root`);
  return target === root ? root : join(root, rel);
}
