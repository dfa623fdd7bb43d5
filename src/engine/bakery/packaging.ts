import { statSync, truncateSync } from 'node:fs';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { compress, type Compression } from './compress';
import { runCommand } from './run-command';
import { requireTool } from './tools';

/** dd's block size when cutting the partition out: large blocks, byte offsets (iflag=skip_bytes,count_bytes). */
export const DD_BLOCK = '4M';

/** resize2fs -M passes at most: each pass re-reads the whole filesystem; two or three reach the floor. */
const MAX_SHRINK_PASSES = 4;

export interface PartitionExtent {
  offsetBytes: number;
  sizeBytes: number;
}

/** Reads the first partition's offset and size from the disk's partition table (`sfdisk --json`). */
export async function readPartition(log: BakeLog, disk: string): Promise<PartitionExtent> {
  const out = await runCommand(log, 'package: read partition table', requireTool('sfdisk'), ['--json', disk]);
  const table = (JSON.parse(out) as { partitiontable?: { sectorsize?: number; partitions?: Array<{ start: number; size: number }> } }).partitiontable;
  const part = table?.partitions?.[0];
  if (!part) throw new BakeError('package: read partition table', `${disk} has no partition`);
  const sector = table.sectorsize ?? 512;
  return { offsetBytes: part.start * sector, sizeBytes: part.size * sector };
}

/** Block count × block size of an ext filesystem, from its superblock. */
export async function filesystemBytes(log: BakeLog, image: string): Promise<number> {
  const out = await runCommand(log, 'package: measure', requireTool('dumpe2fs'), ['-h', image]);
  const count = /^Block count:\s+(\d+)/m.exec(out)?.[1];
  const size = /^Block size:\s+(\d+)/m.exec(out)?.[1];
  if (!count || !size) throw new BakeError('package: measure', `dumpe2fs did not report the size of ${image}`);
  return Number(count) * Number(size);
}

/**
 * Linode's packaging, step for step: find where the partition starts, cut it out of the disk with
 * dd, check it (`e2fsck -f`), shrink the filesystem to its minimum (`resize2fs -M`), check again
 * read-only (`e2fsck -fn`), drop the bytes past the shrunk filesystem, compress.
 */
export async function packageDisk(
  log: BakeLog,
  disk: string,
  partImage: string,
  output: string,
  compression: Compression,
  env: Record<string, string> = {},
): Promise<{ partitionBytes: number; shrunkBytes: number }> {
  const extent = await readPartition(log, disk);
  log.say('package', `partition at byte ${extent.offsetBytes}, ${extent.sizeBytes} bytes`);
  await log.step('package: cut partition (dd)', () =>
    runCommand(log, 'package: cut partition (dd)', requireTool('dd'), [
      `if=${disk}`,
      `of=${partImage}`,
      `bs=${DD_BLOCK}`,
      `skip=${extent.offsetBytes}`,
      `count=${extent.sizeBytes}`,
      'iflag=skip_bytes,count_bytes',
      'conv=sparse',
      'status=none',
    ]),
  );
  await log.step('package: e2fsck -f', () => fsck(log, 'package: e2fsck -f', ['-f', '-y', partImage], env));
  // One resize2fs -M pass leaves 20-30 % slack (its minimum estimate is conservative, and moving
  // blocks frees metadata): repeat while a pass still shrinks, checking before each as it requires.
  let shrunk = await filesystemBytes(log, partImage);
  for (let pass = 1; pass <= MAX_SHRINK_PASSES; pass++) {
    if (pass > 1) await fsck(log, 'package: e2fsck -f', ['-f', '-y', partImage], env);
    await log.step('package: resize2fs -M', () => runCommand(log, 'package: resize2fs -M', requireTool('resize2fs'), ['-M', partImage], { env }));
    const now = await filesystemBytes(log, partImage);
    const gained = shrunk - now;
    shrunk = now;
    if (gained <= 0) break;
    log.say('package', `resize2fs -M pass ${pass}: ${now} bytes`);
  }
  await log.step('package: e2fsck -fn', () => runCommand(log, 'package: e2fsck -fn', requireTool('e2fsck'), ['-f', '-n', partImage], { env }));
  truncateSync(partImage, shrunk);
  log.say('package', `filesystem shrunk from ${extent.sizeBytes} to ${shrunk} bytes`);
  await log.step(`package: compress (${compression})`, () => compress(log, `package: compress (${compression})`, compression, partImage, output));
  return { partitionBytes: extent.sizeBytes, shrunkBytes: statSync(partImage).size };
}

/** e2fsck exits 1 when it fixed something (e.g. after mke2fs -d on some versions): that is a pass. */
async function fsck(log: BakeLog, step: string, args: string[], env: Record<string, string>): Promise<void> {
  try {
    await runCommand(log, step, requireTool('e2fsck'), args, { env });
  } catch (err) {
    if (err instanceof BakeError && /exited with code 1\b/.test(err.message)) {
      log.say(step, 'e2fsck corrected the filesystem (exit 1)');
      return;
    }
    throw err;
  }
}
