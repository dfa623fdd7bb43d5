import { join } from 'node:path';
import type { BakeLog } from '../bake-log';
import { compress, EXTENSION, type Compression } from '../compress';
import { runCommand } from '../run-command';
import { requireTool } from '../tools';

/**
 * A root directory as a reproducible tarball (sorted names, zero mtimes and owners, so the same
 * root gives the same bytes and so the same digest), compressed and stored by content address.
 */
export async function buildBundle(log: BakeLog, root: string, work: string, compression: Compression) {
  const tarFile = join(work, 'bundle.tar');
  await log.step('bundle: tar', () =>
    runCommand(log, 'bundle: tar', requireTool('tar'), [
      '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--format=posix',
      '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime', '-C', root, '-cf', tarFile, '.',
    ]),
  );
  const packed = join(work, `bundle.tar${EXTENSION[compression]}`);
  await log.step(`bundle: compress (${compression})`, () => compress(log, `bundle: compress (${compression})`, compression, tarFile, packed));
  return { packed, suffix: `.tar${EXTENSION[compression]}` };
}
