import { closeSync, openSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BakeLog } from '../bake-log';
import { EXTENSION, type Compression } from '../compress';
import { packageDisk } from '../packaging';
import { runCommand } from '../run-command';
import { requireTool } from '../tools';

/** The partition starts at 1 MiB, as fdisk and sfdisk align it by default. */
export const PARTITION_START_SECTOR = 2048;

/**
 * A raw disk the way an installer leaves it, made unprivileged: an ext4 filesystem built straight
 * from the root directory (`mke2fs -d`, no mount), written at 1 MiB into a larger file that holds
 * an MBR partition table (`sfdisk`). Then Linode's packaging (packaging.ts).
 */
export async function buildDisk(log: BakeLog, root: string, work: string, sizeMiB: number, compression: Compression) {
  const fsImage = join(work, 'rootfs.ext4');
  await log.step('disk: mke2fs -d', () =>
    runCommand(log, 'disk: mke2fs -d', requireTool('mke2fs'), ['-q', '-F', '-t', 'ext4', '-L', 'kiln-root', '-E', 'root_owner=0:0', '-d', root, fsImage, `${sizeMiB}M`]),
  );
  const disk = join(work, 'disk.raw');
  const fsBytes = statSync(fsImage).size;
  const diskBytes = PARTITION_START_SECTOR * 512 + fsBytes + 1024 * 1024;
  closeSync(openSync(disk, 'w'));
  writeFileSync(join(work, 'partitions.sfdisk'), `label: dos\nstart=${PARTITION_START_SECTOR}, size=${fsBytes / 512}, type=83, bootable\n`);
  await runCommand(log, 'disk: truncate', '/usr/bin/env', ['truncate', '-s', String(diskBytes), disk]);
  await log.step('disk: sfdisk', () =>
    runCommand(log, 'disk: sfdisk', '/bin/sh', ['-c', `"$0" --no-reread --no-tell-kernel -q "$1" < "$2"`, requireTool('sfdisk'), disk, join(work, 'partitions.sfdisk')]),
  );
  await log.step('disk: write partition (dd)', () =>
    runCommand(log, 'disk: write partition (dd)', requireTool('dd'), [
      `if=${fsImage}`, `of=${disk}`, 'bs=4M', `seek=${PARTITION_START_SECTOR * 512}`, 'oflag=seek_bytes', 'conv=notrunc,sparse', 'status=none',
    ]),
  );
  const partImage = join(work, 'part.img');
  const packed = join(work, `part.img${EXTENSION[compression]}`);
  const sizes = await packageDisk(log, disk, partImage, packed, compression);
  return { packed, suffix: `.img${EXTENSION[compression]}`, partImage, ...sizes };
}
