import { join } from 'node:path';
import type { BakeLog } from '../bake-log';
import { compress, EXTENSION, type Compression } from '../compress';
import { runCommand } from '../run-command';
import { layerTarFlags } from '../layer-tar';
import { requireTool } from '../tools';

/**
 * A root directory as a reproducible tarball (layer-tar.ts: the same root gives the same bytes and
 * so the same digest, with its owners and modes), compressed and stored by content address.
 */
export async function buildBundle(log: BakeLog, root: string, work: string, compression: Compression) {
  const tarFile = join(work, 'bundle.tar');
  await log.step('bundle: tar', () => runCommand(log, 'bundle: tar', requireTool('tar'), [...layerTarFlags(), '-C', root, '-cf', tarFile, '.']));
  const packed = join(work, `bundle.tar${EXTENSION[compression]}`);
  await log.step(`bundle: compress (${compression})`, () => compress(log, `bundle: compress (${compression})`, compression, tarFile, packed));
  return { packed, suffix: `.tar${EXTENSION[compression]}` };
}
