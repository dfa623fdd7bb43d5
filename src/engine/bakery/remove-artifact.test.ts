import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeArtifactFiles } from './remove-artifact';
import { bakeryPaths } from './store';
import { vmBootFiles } from './vm-boot';

const HEX = 'ab'.repeat(32);

describe('deleting an image version from the store', () => {
  it('removes its disk artifact and the kernel and initramfs exported beside it, and nothing of other images', () => {
    const paths = bakeryPaths(mkdtempSync(join(tmpdir(), 'kiln-remove-artifact-')));
    const image = { artifact: `${HEX}.img.zst`, digest: `sha256:${HEX}` };
    const other = { artifact: `${'cd'.repeat(32)}.img.zst` };
    for (const a of [image.artifact, other.artifact]) {
      writeFileSync(join(paths.images, a), 'partition');
      const boot = vmBootFiles(paths, a);
      writeFileSync(boot.kernel, 'kernel');
      writeFileSync(boot.initrd, 'initrd');
    }
    mkdirSync(join(paths.roots, HEX));

    // Another version with the same bytes still needs every file.
    expect(removeArtifactFiles(paths, image, true)).toEqual([]);
    expect(readdirSync(paths.images)).toHaveLength(6);

    removeArtifactFiles(paths, image, false);
    expect(readdirSync(paths.images).sort()).toEqual([other.artifact, `${'cd'.repeat(32)}.initrd`, `${'cd'.repeat(32)}.vmlinuz`].sort());
    expect(existsSync(join(paths.roots, HEX))).toBe(false);
  });

  it('removes nothing for a stored name or digest that could point outside the store', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiln-remove-artifact-'));
    const paths = bakeryPaths(dataDir);
    const outside = join(dataDir, 'keep');
    mkdirSync(outside);
    for (const bad of [
      { artifact: '../keep', digest: `sha256:${HEX}` },
      { artifact: `${HEX}.img.zst`, digest: 'sha256:../keep' },
    ]) {
      expect(removeArtifactFiles(paths, bad, false)).toEqual([]);
    }
    expect(existsSync(outside)).toBe(true);
  });
});
