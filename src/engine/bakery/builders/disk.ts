import { closeSync, openSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BakeLog } from '../bake-log';
import { EXTENSION, type Compression } from '../compress';
import { packageDisk } from '../packaging';
import { runCommand } from '../run-command';
import { sourceDateEpoch } from '../layer-tar';
import { clampTimes, e2fsEnv, seededUuid, stampChangeTimes } from '../reproducible';
import { requireTool } from '../tools';

/** The partition starts at 1 MiB, as fdisk and sfdisk align it by default. */
export const PARTITION_START_SECTOR = 2048;

/**
 * A raw disk the way an installer leaves it, made unprivileged: an ext4 filesystem built straight
 * from the root directory (`mke2fs -d`, no mount), written at 1 MiB into a larger file that holds
 * an MBR partition table (`sfdisk`). Then Linode's packaging (packaging.ts).
 */
export async function buildDisk(log: BakeLog, root: string, work: string, sizeMiB: number, compression: Compression, seed: string) {
  const fsImage = join(work, 'rootfs.ext4');
  // Reproducible (reproducible.ts): the same inputs give the same bytes, so the same digest.
  const epoch = sourceDateEpoch();
  const env = e2fsEnv(epoch);
  const clamped = clampTimes(root, epoch);
  log.say('disk', `times clamped to SOURCE_DATE_EPOCH ${epoch} on ${clamped} entries`);
  const uuid = seededUuid(seed, 'filesystem');
  await log.step('disk: mke2fs -d', () =>
    runCommand(
      log,
      'disk: mke2fs -d',
      requireTool('mke2fs'),
      ['-q', '-F', '-t', 'ext4', '-L', 'kiln-root', '-U', uuid, '-E', `root_owner=0:0,hash_seed=${seededUuid(seed, 'hash')}`, '-d', root, fsImage, `${sizeMiB}M`],
      { env },
    ),
  );
  await log.step('disk: stamp change times', () => stampChangeTimes(fsImage, work, epoch));
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
      `if=${fsImage}`,
      `of=${disk}`,
      'bs=4M',
      `seek=${PARTITION_START_SECTOR * 512}`,
      'oflag=seek_bytes',
      'conv=notrunc,sparse',
      'status=none',
    ]),
  );
  const partImage = join(work, 'part.img');
  const packed = join(work, `part.img${EXTENSION[compression]}`);
  const sizes = await packageDisk(log, disk, partImage, packed, compression, env);
  return { packed, suffix: `.img${EXTENSION[compression]}`, partImage, uuid, ...sizes };
}
