import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { artifactPath, type BakeryPaths } from './store';
import { vmBootFiles } from './vm-boot';

/**
 * Removes what a deleted image version kept on disk: its artifact, the kernel and initramfs a VM bake
 * exported beside it (`<sha256>.vmlinuz`, `<sha256>.initrd`) and a bundle's unpacked root. Artifacts
 * are content-addressed, so another version with the same bytes shares them: then nothing is removed.
 * Returns the paths removed. A stored name that is not a plain file name, or a digest that is not a
 * sha256, removes nothing: a bad row must never aim a recursive delete outside the store.
 */
export function removeArtifactFiles(paths: BakeryPaths, image: { artifact: string; digest: string }, sharedWithAnotherVersion: boolean): string[] {
  if (sharedWithAnotherVersion) return [];
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(image.artifact) || image.artifact.includes('..') || !/^sha256:[a-f0-9]{64}$/.test(image.digest)) return [];
  const boot = vmBootFiles(paths, image.artifact);
  const files = [artifactPath(paths, image.artifact), boot.kernel, boot.initrd, join(paths.roots, image.digest.replace(/^sha256:/, ''))];
  for (const f of files) rmSync(f, { recursive: true, force: true });
  return files;
}
