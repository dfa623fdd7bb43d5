/**
 * How the bakery writes a root into a tar layer (bundles, OCI layers): sorted names and no
 * access/change times, so the same root gives the same bytes; owners, modes, setuid bits and
 * xattrs (capabilities) as they are in the root — a layer is a filesystem, not an archive of
 * someone's files. Times later than SOURCE_DATE_EPOCH (default 0) are clamped to it.
 */
export function layerTarFlags(): string[] {
  return [
    '--sort=name',
    `--mtime=@${sourceDateEpoch()}`,
    '--clamp-mtime',
    '--numeric-owner',
    '--format=posix',
    '--xattrs',
    '--xattrs-include=*',
    '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
  ];
}

/**
 * How the bakery packs files of its own making (an OCI layout, a root handed to Packer): the same
 * bytes each time, every file owned by root, whoever runs Kiln.
 */
export const OWN_FILES_TAR_FLAGS: readonly string[] = [
  '--sort=name',
  '--mtime=@0',
  '--owner=0',
  '--group=0',
  '--numeric-owner',
  '--format=posix',
  '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime',
];

/** Extracts a layer as it was written: owners kept when Kiln runs as root (it cannot chown otherwise). */
export function extractFlags(): string[] {
  return process.getuid?.() === 0 ? ['--same-owner', '--same-permissions', '--numeric-owner', '--xattrs', '--xattrs-include=*'] : ['--no-same-owner'];
}

/** Reproducible builds' convention: the time every build output claims to be from. */
export function sourceDateEpoch(): number {
  const value = Number(process.env.SOURCE_DATE_EPOCH ?? 0);
  return Number.isInteger(value) && value >= 0 ? value : 0;
}
