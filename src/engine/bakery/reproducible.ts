import { createHash } from 'node:crypto';
import { lstatSync, lutimesSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { debugfsBatch, listExt4 } from './ext4-unpack';
import { requireTool } from './tools';

/**
 * What makes a disk image the same bytes for the same inputs: e2fsprogs read the time they stamp
 * into the superblock and new inodes from E2FSPROGS_FAKE_TIME (e2fsck from E2FSCK_TIME; both
 * ignore 0, hence at least 1), the filesystem UUID and directory hash seed come from the inputs,
 * and no file is newer than SOURCE_DATE_EPOCH (Debian's reproducible-builds convention).
 */
export function e2fsEnv(epoch: number): Record<string, string> {
  const t = String(Math.max(1, epoch));
  return { E2FSPROGS_FAKE_TIME: t, E2FSCK_TIME: t };
}

/** A UUID derived from the bake's inputs: unique per distinct image, the same on a rebake. */
export function seededUuid(seed: string, purpose: string): string {
  const h = createHash('sha256').update(`${purpose}:${seed}`).digest('hex');
  // RFC 9562 version 8 (custom), variant 10.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Clamps access and modification times later than `epoch` to it; older times (a parent's files) stay. */
export function clampTimes(root: string, epoch: number): number {
  let clamped = 0;
  const visit = (path: string) => {
    const st = lstatSync(path);
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    const atime = st.atimeMs / 1000;
    const mtime = st.mtimeMs / 1000;
    if (atime > epoch || mtime > epoch) {
      lutimesSync(path, Math.min(atime, epoch), Math.min(mtime, epoch));
      clamped += 1;
    }
  };
  visit(root);
  return clamped;
}

/**
 * `mke2fs -d` copies each file's change time, which no one can set on the host: stamp every inode's
 * ctime with the epoch inside the image instead.
 */
export async function stampChangeTimes(image: string, work: string, epoch: number): Promise<void> {
  const debugfs = requireTool('debugfs');
  const inodes = [2, ...new Set((await listExt4(debugfs, image, work)).map((e) => e.ino))];
  const env = { ...process.env, ...e2fsEnv(epoch) };
  await debugfsBatch(
    debugfs,
    image,
    work,
    inodes.map((i) => `sif <${i}> ctime @${epoch}`),
    { write: true, env },
  );
}
