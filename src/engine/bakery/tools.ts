import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { BakeError } from './bake-error';

/** The Debian package that provides each tool the bakery runs, for the "install it" message. */
export const TOOL_PACKAGES = {
  mke2fs: 'e2fsprogs',
  e2fsck: 'e2fsprogs',
  resize2fs: 'e2fsprogs',
  debugfs: 'e2fsprogs',
  setfattr: 'attr',
  getfattr: 'attr',
  dumpe2fs: 'e2fsprogs',
  sfdisk: 'fdisk',
  dd: 'coreutils',
  tar: 'tar',
  zstd: 'zstd',
  gzip: 'gzip',
  mmdebstrap: 'mmdebstrap',
  packer: 'packer',
  'qemu-system-x86_64': 'qemu-system-x86',
  'qemu-img': 'qemu-utils',
} as const;
export type Tool = keyof typeof TOOL_PACKAGES;

// e2fsprogs installs to /sbin, which a non-root PATH often lacks.
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The absolute path of a tool; a BakeError naming the Debian package when it is not installed. */
export function requireTool(tool: Tool): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new BakeError('tools', `'${tool}' is not installed: install the Debian package '${TOOL_PACKAGES[tool]}' (apt-get install ${TOOL_PACKAGES[tool]})`);
}

const versions = new Map<Tool, string>();

/** The first line a tool prints about its version, for the image's build metadata. */
export function toolVersion(tool: Tool): string {
  const known = versions.get(tool);
  if (known) return known;
  const path = requireTool(tool);
  const flag = tool === 'mke2fs' || tool === 'e2fsck' || tool === 'dumpe2fs' ? '-V' : '--version';
  // e2fsprogs print their version on stderr (and some exit non-zero after it).
  const result = spawnSync(path, [flag], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const line = (
    text
      .trim()
      .split('\n')
      .find((l) => /\d/.test(l)) ??
    text.trim().split('\n')[0] ??
    ''
  ).replace(/^\*+\s*|\s*\*+$/g, '');
  versions.set(tool, line);
  return line;
}
